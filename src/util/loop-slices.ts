/**
 * Long CPU work in slices: `await pause()` inside a loop gives the event loop a turn once the current slice has
 * run `sliceMs`, so acks, timers and I/O wait at most about one slice, however long the whole job.
 */
export function loopSlices(sliceMs = 10): () => Promise<void> | void {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < sliceMs) return;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        resolve();
      }),
    );
  };
}
