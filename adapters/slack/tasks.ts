/** Work that outlives the request that started it (follow-ups after an ack), so `idle()` and `stop()` can wait. */
export class TaskTracker {
  private readonly running = new Set<Promise<unknown>>();

  track(task: Promise<unknown>): void {
    const settled = task.catch(() => undefined);
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
