import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The Docker image runs the compiled build with production dependencies only (`npm prune --omit=dev`). These
 * checks catch, without Docker, the ways that image breaks: compiled code importing a devDependency, or the
 * runtime stage leaving out a file the bot reads. The real `docker build` runs only where an engine answers.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  dependencies?: Record<string, string>;
};

/** What the image runs: the compiled core and adapters, and the CLI entry that loads them. */
const SHIPPED_DIRS = ['dist'];
/** Paths the runtime stage must place under WORKDIR: project-root.ts finds package.json and prompts/ by walking up. */
const RUNTIME_FILES = ['package.json', 'bin/paperboy.js'];
const RUNTIME_DIRS = ['node_modules', 'dist', 'prompts'];

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Every module specifier a file imports: static imports and re-exports, `import('…')`, `require('…')`.
 * TypeScript's own scanner, not a regex, so `from '…'` inside a comment or a string isn't taken for an import.
 */
function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative paths and Node builtins. */
function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile stages, each a list of instructions (continuation lines joined, comments dropped). */
function dockerStages(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') stages.push([instruction]);
    else stages.at(-1)?.push(instruction);
  }
  return stages;
}

interface Copy {
  from: string | null;
  source: string;
  /** Where the source lands, relative to WORKDIR. */
  target: string;
}

/**
 * `COPY [--from=…] src… dest` (shell form). Docker copies a directory's contents, not the directory, so a
 * directory lands at dest itself; a file copied into `dest/` lands at `dest/<name>`.
 */
function copiedPaths(stage: Instruction[], isDir: (source: string) => boolean): Copy[] {
  let workdir = '/';
  const copies: Copy[] = [];
  for (const { keyword, args } of stage) {
    if (keyword === 'WORKDIR') workdir = posix.resolve(workdir, args);
    if (keyword !== 'COPY') continue;
    const words = args.split(/\s+/);
    const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length) ?? null;
    const paths = words.filter((word) => !word.startsWith('--'));
    const dest = paths.pop()!;
    for (const source of paths) {
      const clean = posix.normalize(source).replace(/\/$/, '');
      const intoFolder = !isDir(clean) && (dest === '.' || dest.endsWith('/'));
      const into = intoFolder ? posix.join(dest, posix.basename(clean)) : dest;
      copies.push({ from, source: clean, target: posix.relative(workdir, posix.resolve(workdir, into)) });
    }
  }
  return copies;
}

describe('the production image has what the bot needs', () => {
  it('compiled code imports only packages listed in dependencies (the image prunes devDependencies)', () => {
    for (const dir of SHIPPED_DIRS) {
      if (!existsSync(join(ROOT, dir))) throw new Error(`${dir}/ is missing: run \`npm run build\` before the tests`);
    }
    const files = [...SHIPPED_DIRS.flatMap((dir) => jsFiles(join(ROOT, dir))), join(ROOT, 'bin/paperboy.js')];
    const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
    const imported = new Set<string>();
    const missing: string[] = [];
    for (const file of files) {
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        const name = packageName(specifier);
        if (!name) continue;
        imported.add(name);
        if (!runtime.has(name)) missing.push(`${relative(ROOT, file)} imports '${specifier}', but ${name} is not in package.json dependencies`);
      }
    }
    // A scanner that saw nothing would pass vacuously.
    expect(files.length).toBeGreaterThan(10);
    expect(imported.size).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('Dockerfile: the runtime stage copies every path the bot reads, from a pruned build, and runs as non-root', () => {
    const stages = dockerStages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1)!;
    const copies = copiedPaths(runtime, (source) => RUNTIME_DIRS.some((dir) => source.endsWith(dir)));
    for (const path of [...RUNTIME_FILES, ...RUNTIME_DIRS]) {
      expect(copies.some((copy) => copy.target === path && copy.source.endsWith(path)), `runtime stage copies ${path} to ./${path}`).toBe(true);
    }

    // node_modules must come from a stage that dropped the devDependencies.
    const modules = copies.find((copy) => copy.target === 'node_modules');
    const builder = stages.find((stage) => modules?.from && new RegExp(`\\bAS\\s+${modules.from}$`, 'i').test(stage[0]!.args));
    expect(builder?.some(({ keyword, args }) => keyword === 'RUN' && /npm prune\b.*--omit=dev/.test(args)), 'node_modules comes from a stage that ran npm prune --omit=dev').toBe(true);

    const args = (keyword: string) => runtime.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
    const user = args('USER').at(-1);
    expect(user, 'runtime stage sets USER').toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(args('HEALTHCHECK').at(-1)).toMatch(/\/healthz/);
    expect(args('VOLUME').some((volume) => /(^|[\s"[])\/data(["\],\s]|$)/.test(volume)), 'VOLUME /data').toBe(true);
    expect(args('ENTRYPOINT').at(-1)).toMatch(/bin\/paperboy\.js/);
  });

  it('LICENSE is the license package.json names', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toMatch(/^Copyright \(c\) \d{4} /m);
  });
});

/** Whether a Docker engine answers: the CLI alone (as on a machine with no daemon) can't build. */
function dockerEngine(): { ok: true } | { ok: false; reason: string } {
  const info = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
  if (info.error && (info.error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'no docker CLI' };
  if (info.error || info.signal) return { ok: false, reason: 'docker info did not answer within 5 s' };
  if (info.status !== 0) return { ok: false, reason: 'docker info failed' };
  return { ok: true };
}

/** Runs a command without blocking the event loop (a build takes minutes); rejects on a non-zero exit. */
function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr.slice(-4_000)}`));
    });
  });
}

const docker = dockerEngine();
if (!docker.ok) console.log(`docker.test.ts: docker build skipped: no Docker engine (${docker.reason})`);

describe('docker build', () => {
  it.skipIf(!docker.ok)('builds the image, which prints the package version, loads better-sqlite3 and runs as non-root', async () => {
    const image = 'paperboy-test';
    await run('docker', ['build', '-t', image, '.'], 9 * 60_000);
    expect((await run('docker', ['run', '--rm', image, '--version'], 60_000)).trim()).toBe(pkg.version);
    // The native addon built (or downloaded) in the build stage must load in the runtime stage.
    const sqlite = await run('docker', ['run', '--rm', '--entrypoint', 'node', image, '-e', "console.log(new (require('better-sqlite3'))(':memory:').prepare('select 42 as x').get().x)"], 60_000);
    expect(sqlite.trim()).toBe('42');
    expect((await run('docker', ['run', '--rm', '--entrypoint', 'id', image, '-u'], 60_000)).trim()).not.toBe('0');
  }, 10 * 60_000);
});
