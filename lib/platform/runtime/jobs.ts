import type { Logger } from '../observability/logger.js';

/** Background work on a timer, stopped with the service. */
export class Jobs {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly log: Logger) {}

  every(name: string, intervalMs: number, fn: () => Promise<unknown>) {
    const run = () => {
      if (this.stopped) return;
      const p = fn()
        .catch((err) => this.log.warn({ err: (err as Error).message, job: name }, 'background job failed'))
        .finally(() => {
          this.running.delete(p);
          if (this.stopped) return;
          const t = setTimeout(run, intervalMs);
          this.timers.add(t);
        });
      this.running.add(p);
    };
    const t = setTimeout(run, intervalMs);
    this.timers.add(t);
  }

  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.running);
  }
}
