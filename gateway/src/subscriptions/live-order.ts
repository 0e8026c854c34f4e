// One subscriber following one order. It is the async generator graphql-ws drains, and it owns
// the ordering rule: the current state first, then each later status sequence exactly once,
// in order, whatever order (or duplication, or gaps) the broker delivers events in.
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { OrderStatus } from '../../../lib/contracts/events.js';
import type { Logger } from '../../../lib/platform/observability/logger.js';
import { historyOf, orderAt, type LivePlan, type OrderResult } from './document.js';

export interface Fetched {
  order: OrderResult | null;
  errors?: GraphQLError[];
}
/** Runs the plan's order query through the gateway as the subscriber. */
export type FetchOrder = () => Promise<Fetched>;

const TERMINAL = new Set<OrderStatus>(['FINISHED', 'CANCELLED']);
const MAX_RETRIES = 5;

export class LiveOrder implements AsyncGenerator<ExecutionResult> {
  /** The highest status sequence sent to the subscriber. */
  private delivered = 0;
  /** Work runs one step at a time, so a replay and an event never interleave. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly buffer: ExecutionResult[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  /** Nothing more will be pushed: the order reached a final state, or the subscriber left. */
  private ended = false;

  constructor(
    readonly plan: LivePlan,
    private readonly fetch: FetchOrder,
    private readonly log: Logger,
    private readonly onEnd: (self: LiveOrder) => void,
  ) {}

  get orderId(): string {
    return this.plan.orderId;
  }

  /** Pushes the current state; false when the order doesn't exist or isn't the subscriber's. */
  start(): Promise<boolean> {
    return this.run(async () => {
      const { order, errors } = await this.fetch();
      // Null without errors is "not found / not yours"; with errors the gateway couldn't tell.
      if (!order && errors?.length) throw new Error(`reading the order failed: ${errors[0]!.message}`);
      if (!order) return false;
      const history = historyOf(this.plan, order);
      const current = history.at(-1)!;
      this.push(history.length, current, order, errors);
      return true;
    });
  }

  /** An `order.status_changed` for this order: push everything up to its sequence not yet sent. */
  onEvent(sequence: number, status: OrderStatus): void {
    if (sequence <= this.delivered) return; // a duplicate, or already filled in from the history
    void this.run(() => this.catchUp(sequence, status));
  }

  /** After the broker reconnected: events may have been lost meanwhile, so read the history. */
  replay(): void {
    void this.run(() => this.catchUp(Infinity, null));
  }

  private async catchUp(target: number, status: OrderStatus | null, attempt = 0): Promise<void> {
    if (this.ended || target <= this.delivered) return;
    let fetched: Fetched | null = null;
    try {
      fetched = await this.fetch();
    } catch (err) {
      this.log.warn({ err, orderId: this.orderId }, 'live status: fetching the order failed');
    }
    const history = fetched?.order ? historyOf(this.plan, fetched.order) : [];
    const upTo = Math.min(target, history.length);
    for (let seq = this.delivered + 1; seq <= upTo && !this.ended; seq++) {
      this.push(seq, seq === target && status ? status : history[seq - 1]!, fetched!.order!, fetched!.errors);
    }
    // The fetch failed, or the history doesn't show the event's entry yet: try again shortly;
    // a later event or a reconnect replay would fill the gap as well.
    const behind = !fetched?.order || (target !== Infinity && upTo < target);
    if (!this.ended && behind) {
      if (attempt >= MAX_RETRIES) return void this.log.error({ orderId: this.orderId, target }, 'live status: gave up catching up');
      setTimeout(() => void this.run(() => this.catchUp(target, status, attempt + 1)), 200 * 2 ** attempt).unref();
    }
  }

  private push(sequence: number, status: OrderStatus, order: OrderResult, errors?: GraphQLError[]) {
    this.delivered = sequence;
    this.deliver({ data: { [this.plan.responseKey]: orderAt(this.plan, order, sequence, status) }, ...(errors?.length ? { errors } : {}) });
    if (TERMINAL.has(status)) this.end();
  }

  private run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.chain.then(step);
    this.chain = result.catch((err) => this.log.error({ err, orderId: this.orderId }, 'live status step failed'));
    return result;
  }

  private deliver(result: ExecutionResult) {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
    } else this.buffer.push(result);
  }

  /** Stops taking events; what is buffered is still drained, then the iterator completes. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(this);
    if (this.waiting && !this.buffer.length) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  // AsyncGenerator: graphql-ws pulls with next() and calls return() when the client leaves.
  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.buffer.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.buffer.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.return();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
