import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full GC when the process allows one (`--expose-gc`, or enabled here at run time), so RSS readings settle. */
export function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

export function heapMb(): number {
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external + usage.arrayBuffers) / 1024 / 1024;
}
