import type { AdapterDeps, PlatformAdapter } from '../src/platform.js';

/** The platform adapters `start` runs, chosen by which tokens are configured. */
export function createPlatformAdapters(deps: AdapterDeps): PlatformAdapter[] {
  const adapters: PlatformAdapter[] = [];
  void deps;
  return adapters;
}
