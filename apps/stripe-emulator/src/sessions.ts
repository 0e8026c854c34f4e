/**
 * In-memory Checkout Sessions and their lifecycle: open → complete (paid) or open → expired.
 * State changes emit the event Stripe would send; the server turns them into webhooks.
 */
import type Stripe from 'stripe';
import { resourceMissing, stateError } from './errors.js';
import type { FormObject } from './form.js';
import { newId, nowSeconds } from './ids.js';
import { buildLineItem, buildSession, customerDetails } from './session-object.js';
import { parseSessionParams } from './session-params.js';

export interface SessionRecord {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  /** product_data.description per line item; Stripe keeps it on the Product, we need it for the page. */
  descriptions: (string | null)[];
  /** Total refunded so far on this session's payment intent. */
  amountRefunded: number;
}

export type SessionEventType = 'checkout.session.completed' | 'checkout.session.expired';

export class SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly byPaymentIntent = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly publicUrl: () => string,
    private readonly emit: (type: SessionEventType, session: Stripe.Checkout.Session) => void,
  ) {}

  create(params: FormObject): Stripe.Checkout.Session {
    const input = parseSessionParams(params);
    const created = nowSeconds();
    const id = newId('cs_test', 58);
    const session = buildSession(id, input, `${this.publicUrl()}/pay/${id}`, created);
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

  findByPaymentIntent(paymentIntent: string): SessionRecord | undefined {
    const id = this.byPaymentIntent.get(paymentIntent);
    return id === undefined ? undefined : this.records.get(id);
  }

  /** POST /v1/checkout/sessions/:id/expire, the expiry timer and emulator.expire(). */
  expire(id: string): Stripe.Checkout.Session {
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
    this.clearTimer(id);
    this.emit('checkout.session.expired', session);
    return session;
  }

  /** What a successful card payment on the hosted page does. */
  pay(id: string, email?: string): Stripe.Checkout.Session {
    const record = this.require(id);
    const { session } = record;
    if (session.status !== 'open') throw stateError(`This Checkout Session is ${session.status} and can no longer be paid.`);
    const paymentIntent = newId('pi');
    session.status = 'complete';
    session.payment_status = 'paid';
    session.payment_intent = paymentIntent;
    session.customer_details = customerDetails(email || session.customer_email);
    session.url = null;
    this.byPaymentIntent.set(paymentIntent, id);
    this.clearTimer(id);
    this.emit('checkout.session.completed', session);
    return session;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
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

  private clearTimer(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}
