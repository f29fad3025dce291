/** Thrown when the queue is full: the caller answers "try again later" instead of piling up work. */
export class QueueFull extends Error {
  override name = 'QueueFull';
}

/**
 * Runs at most `concurrency` tasks at once and lets at most `queueLimit` more wait; beyond that it
 * refuses at once. Password hashing goes through one of these so a burst of logins cannot occupy
 * every libuv thread and every megabyte of argon2 memory.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: { start: () => void; refuse: (error: Error) => void }[] = [];
  private closedWith: Error | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  get pending(): number {
    return this.waiting.length;
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closedWith) throw this.closedWith;
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) throw new QueueFull();
      await new Promise<void>((start, refuse) => this.waiting.push({ start, refuse }));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never drops and rises again.
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running -= 1;
    }
  }

  /** Refuses every task from now on and fails each waiting one with `error`; running ones go on. */
  close(error: Error): void {
    this.closedWith = error;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(error);
  }
}
