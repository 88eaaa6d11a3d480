/** Where a command's answer goes: in the acknowledgement, or after it (a follow-up message). */
export type AnswerPlacement = 'in-ack' | 'after-ack';

/**
 * Keeps acknowledgements quick when commands arrive in a burst. Chat platforms give a command 3 s to be acknowledged,
 * and the quickest answer to show is the one in the acknowledgement itself; but requests are read one at a time,
 * so with 50 arriving at once, answering each in its acknowledgement made the 50th wait for 49 searches (~150 ms).
 *
 * Each command asks `placement()`, which answers one turn of the event loop later, once the requests already
 * received have reached the same point: a command that came alone is answered in its acknowledgement; commands that
 * came together are acknowledged at once and answered after (`later`), one per turn, so requests arriving
 * meanwhile are read and acknowledged before the next answer is worked out.
 */
export class AnswerScheduler {
  private waiting: ((placement: AnswerPlacement) => void)[] = [];
  private readonly queued: (() => void)[] = [];
  private draining = false;

  placement(): Promise<AnswerPlacement> {
    return new Promise((resolve) => {
      if (this.waiting.push(resolve) === 1) setImmediate(this.release);
    });
  }

  /** Runs `task` on a later turn of the event loop, after the tasks queued before it have started. */
  later<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push(() => void task().then(resolve, reject));
      if (!this.draining) {
        this.draining = true;
        setImmediate(this.next);
      }
    });
  }

  private readonly release = (): void => {
    const batch = this.waiting;
    this.waiting = [];
    const placement: AnswerPlacement = batch.length === 1 ? 'in-ack' : 'after-ack';
    for (const resolve of batch) resolve(placement);
  };

  private readonly next = (): void => {
    const start = this.queued.shift();
    if (!start) {
      this.draining = false;
      return;
    }
    start();
    setImmediate(this.next);
  };
}
