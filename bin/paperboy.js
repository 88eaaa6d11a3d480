#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx paperboy` never runs a stale build.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
