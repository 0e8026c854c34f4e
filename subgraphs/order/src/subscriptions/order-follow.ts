// One subscriber following one order: the async iterator graphql-js drains for
// Subscription.orderStatusChanged. It owns the ordering rule: the current state first, then each
// later status sequence exactly once, in order, whatever order (or duplication, or gaps) the
// broker delivers events in; it completes once FINISHED or CANCELLED is pushed.
import type { OrderStatus, PaymentLink } from '../../../../lib/contracts/events.js';
import type { Logger } from '../../../../lib/platform/observability/logger.js';
import type { OrderRow, OrderStatusChangeRow } from '../persistence/entities.js';
import { linkColumns } from '../domain/payment-link.js';

/** The order as of one transition: its `status` is that transition's, `statusHistory` stops there. */
export type OrderAsOf = OrderRow & { asOfSequence: number };
export interface OrderPush {
  orderStatusChanged: OrderAsOf;
}
export interface OrderNow {
  order: OrderRow;
  history: OrderStatusChangeRow[];
}
/** What an `order.status_changed` event says about the transition it reports. */
export interface StatusChange {
  sequence: number;
  status: OrderStatus;
  reason: string | null;
  at: string;
  /** The payment link as of the transition (undefined in events older than it). */
  payment?: PaymentLink | null;
}

/**
 * The order as of the next transition, from the state before it and the event: a transition
 * changes only the status, the sequence, updatedAt, (when cancelled) the reason and (when the
 * payment link arrives) the link, and appends one history entry; every other field of an order is
 * fixed when it is placed (transition.ts).
 */
export function afterChange(before: OrderNow, change: StatusChange): OrderNow {
  const at = new Date(change.at);
  return {
    order: {
      ...before.order,
      status: change.status,
      sequence: change.sequence,
      updatedAt: at,
      cancellationReason: change.status === 'CANCELLED' ? change.reason : before.order.cancellationReason,
      ...(change.payment ? linkColumns(change.payment) : {}),
    },
    history: [...before.history, { orderId: before.order.id, sequence: change.sequence, status: change.status, reason: change.reason, at }],
  };
}

const TERMINAL = new Set<OrderStatus>(['FINISHED', 'CANCELLED']);
const MAX_RETRIES = 5;

export class OrderFollow implements AsyncGenerator<OrderPush> {
  /** The highest status sequence pushed. */
  private delivered = 0;
  /** The state as of `delivered`, when it is known whole (the start, or a read that showed that far). */
  private last: OrderNow | null = null;
  /** Work runs one step at a time, so a replay and an event never interleave. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly buffer: OrderPush[] = [];
  private waiting: ((r: IteratorResult<OrderPush>) => void) | null = null;
  /** Nothing more will be pushed: the order reached a final state, or the subscriber left. */
  private ended = false;

  constructor(
    readonly orderId: string,
    private readonly read: () => Promise<OrderNow | null>,
    private readonly log: Logger,
    private readonly onEnd: (self: OrderFollow) => void,
  ) {}

  /**
   * Pushes the current state (the caller checked the order exists and is the subscriber's),
   * unless an event that arrived while it was read has already pushed that far.
   */
  start(now: OrderNow): Promise<void> {
    return this.run(async () => {
      if (now.history.length > this.delivered) this.push(now, now.history.length);
    });
  }

  /** An `order.status_changed` for this order: push everything up to its sequence not yet pushed. */
  onEvent(sequence: number, read = this.read, change?: StatusChange): void {
    if (sequence <= this.delivered) return; // a duplicate, or already filled in from the history
    void this.run(async () => {
      // The next transition after what was pushed: the event says all that changed, no read needed.
      // (`last`, when set, is the state as of `delivered`: push() keeps the two together.)
      if (change && this.last && sequence === this.delivered + 1 && !this.ended) return this.push(afterChange(this.last, change), sequence);
      return this.catchUp(sequence, 0, read);
    });
  }

  /** After the broker reconnected: events may have been lost meanwhile, so read the history. */
  replay(): void {
    void this.run(() => this.catchUp(Infinity));
  }

  /** `read` is the event's read shared with the order's other subscribers; retries read afresh. */
  private async catchUp(target: number, attempt = 0, read = this.read): Promise<void> {
    if (this.ended || target <= this.delivered) return;
    let now: OrderNow | null = null;
    try {
      now = await read();
    } catch (err) {
      this.log.warn({ err, orderId: this.orderId }, 'live status: reading the order failed');
    }
    const upTo = Math.min(target, now?.history.length ?? 0);
    for (let seq = this.delivered + 1; seq <= upTo && !this.ended; seq++) this.push(now!, seq);
    // The read failed, or the history doesn't show the event's entry yet (a replica behind):
    // try again shortly; a later event or a reconnect replay would fill the gap as well.
    if (!this.ended && (!now || (target !== Infinity && upTo < target))) {
      if (attempt >= MAX_RETRIES) return void this.log.error({ orderId: this.orderId, target }, 'live status: gave up catching up');
      setTimeout(() => void this.run(() => this.catchUp(target, attempt + 1)), 200 * 2 ** attempt).unref();
    }
  }

  private push(now: OrderNow, sequence: number) {
    this.delivered = sequence;
    this.last = now.history.length === sequence ? now : null;
    const status = now.history[sequence - 1]!.status;
    this.deliver({ orderStatusChanged: { ...now.order, status, asOfSequence: sequence } });
    if (TERMINAL.has(status)) this.end();
  }

  private run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.chain.then(step);
    this.chain = result.catch((err) => this.log.error({ err, orderId: this.orderId }, 'live status step failed'));
    return result;
  }

  private deliver(push: OrderPush) {
    if (!this.waiting) return void this.buffer.push(push);
    const resolve = this.waiting;
    this.waiting = null;
    resolve({ value: push, done: false });
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

  next(): Promise<IteratorResult<OrderPush>> {
    const value = this.buffer.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<OrderPush>> {
    this.buffer.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<OrderPush>> {
    void this.return();
    return Promise.reject(err);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
