import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const HOST = fileURLToPath(new URL('../fake-platforms-host.ts', import.meta.url));

export interface PlatformReport {
  messages: number;
  requests: number;
  rateLimited: number;
  refused: number;
  /** channel → paper ids posted in its digest thread, in order. */
  threads: Record<string, (string | null)[]>;
  /** channel → top-level messages. */
  parents: Record<string, number>;
  /** Slack: each channel's first post after the first anywhere, and its first-to-last post, percentiles in ms. */
  spans?: { start: Record<string, number>; span: Record<string, number>; allMs: number };
}

export interface FakePlatforms {
  slack: { apiUrl: string; botToken: string };
  discord: { url: string; token: string };
  addDiscordChannels(count: number): Promise<string[]>;
  report(): Promise<{ slack: PlatformReport; discord: PlatformReport }>;
  close(): void;
}

/** Starts bench/fake-platforms-host.ts in its own process and talks to it over its control route. */
export function startFakePlatforms(): Promise<FakePlatforms> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [RUN_TS, HOST], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`fake platforms exited (${code})`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      const ready = JSON.parse(line.slice('READY '.length)) as { control: string; slack: FakePlatforms['slack']; discord: FakePlatforms['discord'] };
      const json = async <T>(path: string, method = 'GET') => (await (await fetch(`${ready.control}${path}`, { method })).json()) as T;
      resolve({
        slack: ready.slack,
        discord: ready.discord,
        addDiscordChannels: (count) => json<string[]>(`/discord-channels?count=${count}`, 'POST'),
        report: () => json('/report'),
        close: () => void child.kill(),
      });
    });
  });
}
