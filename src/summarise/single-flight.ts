/** Runs one task per key at a time: callers asking for a key already in flight share its promise. */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  /** `joined` is true when this caller shares a task another caller started. */
  run(key: string, task: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.inFlight.get(key);
    if (existing) return { promise: existing, joined: true };
    // Registered before the task starts, removed once it settles (success or failure).
    const promise = Promise.resolve()
      .then(task)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return { promise, joined: false };
  }
}
