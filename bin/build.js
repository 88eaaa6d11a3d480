#!/usr/bin/env node
// `npm run build`: bundles the CLI (src/ and adapters/) into dist/ with esbuild. Type checking is `npm run
// typecheck` (tsc); this step only transpiles, in well under a second.
//
// Why a bundle rather than tsc's one file per module: Node 20 pays for every ES module it resolves, reads and
// compiles, and zod alone is a hundred of them. One file per entry and per lazily imported verb cut
// `paperboy search` on a 100k-paper store from about 0.40 s to about 0.32 s.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Kept as packages in node_modules, imported at run time: better-sqlite3 is a native addon; the platform SDKs,
// openai, undici and node-cron are large, loaded only by the verbs that use them, and read files or spawn
// workers relative to their own folders. Everything else (zod, commander, pino, prom-client) is bundled.
const external = ['better-sqlite3', '@slack/*', 'discord.js', '@discordjs/*', 'openai', 'undici', 'node-cron'];

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The subscription index's worker thread is an entry of its own, started from its file (dist/match-worker.js).
  entryPoints: ['src/cli.ts', 'src/schedule/match-worker.ts'],
  entryNames: '[name]',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS packages (pino, prom-client) call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
