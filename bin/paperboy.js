#!/usr/bin/env node
// Runs the bundled build (dist/), so a CLI call pays no TypeScript compilation. `npm ci` / `npm install` build
// it; after changing the sources, `npm run build` (under a second), or `npm run dev -- <verb>` to run them with tsx.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('paperboy is not built yet: run `npm run build` (npm install and npm ci do it).\n');
  process.exit(1);
}
await import(entry.href);
