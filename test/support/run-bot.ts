import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './run-cli.js';

export interface RunningBot {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The HTTP port, from the bot's own "listening" log line (needs LOG_LEVEL info or lower). */
  port(): Promise<number>;
  /** Resolves once stderr contains `text`; rejects if the bot exits first. */
  waitForStderr(text: string | RegExp): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * `paperboy start` as a real child process. Only `env` (plus PATH and NO_COLOR) reaches it, so a developer's own
 * settings cannot leak in. Waits are on what the bot prints or does, never on the clock.
 */
export function startBot(env: Record<string, string>, cwd: string): RunningBot {
  const child = spawn(process.execPath, [CLI, 'start'], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const watcher of watchers) watcher();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const watcher of watchers) watcher();
  });

  const waitFor = <T>(find: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          watchers.delete(check);
          resolve(found);
        } else if (gone) {
          watchers.delete(check);
          reject(new Error(`the bot exited before ${what}; stderr:\n${stderr.slice(-2000)}`));
        }
      };
      watchers.add(check);
      check();
    });

  return {
    child,
    stderr: () => stderr,
    exited,
    port: () =>
      waitFor(() => {
        const match = /"port":(\d+)[^\n]*HTTP server listening|HTTP server listening[^\n]*"port":(\d+)/.exec(stderr);
        return match ? Number(match[1] ?? match[2]) : undefined;
      }, 'it listened'),
    waitForStderr: (text) => waitFor(() => ((typeof text === 'string' ? stderr.includes(text) : text.test(stderr)) ? true : undefined), `it printed ${String(text)}`).then(() => undefined),
    kill: (signal = 'SIGKILL') => {
      if (!gone) child.kill(signal);
    },
  };
}
