/**
 * In-memory Checkout Sessions and their lifecycle: open → complete (paid, or unpaid while a bank
 * debit is pending) or open → expired. State changes emit the event Stripe would send; the
 * server turns them into webhooks. Finished sessions are forgotten after a retention period so
 * a long-running emulator's memory stays flat.
 */
import type Stripe from 'stripe';
import { resourceMissing, stateError } from './errors.js';
import type { FormObject } from './form.js';
import { newId, nowSeconds } from './ids.js';
import { takeExpired } from './retention.js';
import { buildLineItem, buildSession, customerDetails } from './session-object.js';
import { parseSessionParams, type SessionRules } from './session-params.js';
import { NO_REQUEST, type EmitEvent, type EventRequest } from './webhooks.js';

export interface SessionRecord {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  /** product_data.description per line item; Stripe keeps it on the Product, we need it for the page. */
  descriptions: (string | null)[];
  /** Total refunded so far (pending and succeeded refunds) on this session's payment intent. */
  amountRefunded: number;
}

export interface SessionStoreOptions {
  publicUrl: () => string;
  emit: EmitEvent;
  rules: SessionRules;
  /** How long a complete or expired session stays readable before it is forgotten. */
  finishedRetentionMs: number;
}

export class SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly byPaymentIntent = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Finished session ids → when they finished; insertion order is finish order, so pruning stops at the first young one. */
  private readonly finished = new Map<string, number>();
  private readonly forgetListeners: ((record: SessionRecord) => void)[] = [];

  constructor(private readonly options: SessionStoreOptions) {}

  create(params: FormObject): Stripe.Checkout.Session {
    const input = parseSessionParams(params, this.options.rules);
    const created = nowSeconds();
    const id = newId('cs_test', 58);
    const session = buildSession(id, input, `${this.options.publicUrl()}/pay/${id}`, created);
    const record: SessionRecord = {
      session,
      lineItems: input.lineItems.map((li) => buildLineItem(li, created)),
      descriptions: input.lineItems.map((li) => li.description),
      amountRefunded: 0,
    };
    this.records.set(id, record);
    this.scheduleExpiry(record);
    return session;
  }

  get(id: string): SessionRecord | undefined {
    return this.records.get(id);
  }

  require(id: string): SessionRecord {
    const record = this.records.get(id);
    if (!record) throw resourceMissing('checkout.session', id);
    return record;
  }

  all(): Stripe.Checkout.Session[] {
    return [...this.records.values()].map((r) => structuredClone(r.session));
  }

  /** Newest first, as Stripe lists; creation order breaks ties within a second. */
  newestFirst(): SessionRecord[] {
    return [...this.records.values()].reverse();
  }

  get size(): number {
    return this.records.size;
  }

  findByPaymentIntent(paymentIntent: string): SessionRecord | undefined {
    const id = this.byPaymentIntent.get(paymentIntent);
    return id === undefined ? undefined : this.records.get(id);
  }

  /** Called with each session forgotten by prune(), so what hangs off it (refunds, debits) goes too. */
  onForget(listener: (record: SessionRecord) => void): void {
    this.forgetListeners.push(listener);
  }

  /** POST /v1/checkout/sessions/:id/expire (with its request), the expiry timer and emulator.expire(). */
  expire(id: string, request: EventRequest = NO_REQUEST): Stripe.Checkout.Session {
    const record = this.require(id);
    const { session } = record;
    if (session.status !== 'open') {
      throw stateError(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
        'checkout_session_not_open',
      );
    }
    session.status = 'expired';
    session.url = null; // Stripe clears the URL once the session can no longer be used
    this.finish(id);
    this.options.emit('checkout.session.expired', session, request);
    return session;
  }

  /**
   * The customer submits the hosted page: a card pays at once (`paid`); a bank debit completes
   * the session `unpaid` until it settles. Either way the session gets its payment intent.
   */
  complete(id: string, paymentStatus: 'paid' | 'unpaid', email?: string): Stripe.Checkout.Session {
    const record = this.require(id);
    const { session } = record;
    if (session.status !== 'open') throw stateError(`This Checkout Session is ${session.status} and can no longer be paid.`);
    const paymentIntent = newId('pi');
    session.status = 'complete';
    session.payment_status = paymentStatus;
    session.payment_intent = paymentIntent;
    session.customer_details = customerDetails(email || session.customer_email);
    session.url = null;
    this.byPaymentIntent.set(paymentIntent, id);
    this.finish(id);
    this.options.emit('checkout.session.completed', session);
    return session;
  }

  /** What a successful card payment on the hosted page does. */
  pay(id: string, email?: string): Stripe.Checkout.Session {
    return this.complete(id, 'paid', email);
  }

  /** Forgets sessions finished more than the retention ago; O(forgotten), not O(all). */
  prune(nowMs = Date.now()): number {
    const forgotten = takeExpired(this.finished, nowMs - this.options.finishedRetentionMs);
    for (const id of forgotten) {
      const record = this.records.get(id);
      if (!record) continue;
      this.records.delete(id);
      if (typeof record.session.payment_intent === 'string') this.byPaymentIntent.delete(record.session.payment_intent);
      for (const listener of this.forgetListeners) listener(record);
    }
    return forgotten.length;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private finish(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.finished.set(id, Date.now());
  }

  private scheduleExpiry(record: SessionRecord): void {
    const { id, expires_at } = record.session;
    const delay = Math.max(0, expires_at * 1000 - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(id);
      if (record.session.status === 'open') this.expire(id);
    }, delay);
    timer.unref(); // the HTTP server is what keeps the process alive, not pending expiries
    this.timers.set(id, timer);
  }
}
