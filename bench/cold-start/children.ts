import { spawn, type ChildProcess } from 'node:child_process';

/** Children started and not yet exited: whatever throws, none outlives the bench. */
const live = new Set<ChildProcess>();
process.once('exit', killAll);

export interface ChildOptions {
  /** The whole environment: nothing is inherited. */
  env: Record<string, string>;
  cwd: string;
}

/** `node <args>` with stdout and stderr piped, tracked until it exits. */
export function spawnNode(args: readonly string[], options: ChildOptions): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // Without a listener a failed spawn would throw from the emitter; callers see it as a missing exit instead.
  child.once('error', () => live.delete(child));
  return child;
}

/** SIGTERM first, so the bot shuts down as it would in production; SIGKILL if it lingers past `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !live.has(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export interface TimedRun {
  /** Wall-clock from just before spawn to the process's exit. */
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` to completion, timed from spawn to exit. */
export function timeRun(args: readonly string[], options: ChildOptions, timeoutMs = 60_000): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let ms = Number.NaN;
    const started = performance.now();
    const child = spawnNode(args, options);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} took over ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', () => (ms = performance.now() - started));
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ms, code, stdout, stderr });
    });
  });
}
