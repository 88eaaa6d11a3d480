import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));

/**
 * Runs a TypeScript bench helper in its own process (a load generator, or an engine measured alone) and returns
 * the JSON on its `RESULT {…}` stdout line.
 */
export function runBenchChild(file: string, args: readonly string[] = [], nodeArgs: readonly string[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, RUN_TS, file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`bench child ${file} ${args.join(' ')} failed (exit ${code})\n${out.slice(0, 2000)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}
