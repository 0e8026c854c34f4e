/**
 * Refunds of payment intents created by paying a Checkout Session: POST /v1/refunds,
 * GET /v1/refunds and GET /v1/refunds/:id, with the events Stripe sends. How a refund ends is a
 * test knob (refundMode): at once `succeeded` (Stripe's test-mode cards), or `pending` and later
 * `succeeded` or `failed` (as bank refunds and some cards do).
 *   created:            refund.created (+ charge.refunded when it succeeded at once)
 *   pending → succeeded: refund.updated, charge.refunded
 *   pending → failed:    refund.updated, refund.failed (the amount is refundable again)
 */
import type Stripe from 'stripe';
import { invalidParam, missingParam, resourceMissing, stateError } from './errors.js';
import type { FormObject } from './form.js';
import { createdFilter, paginate } from './list.js';
import { formatAmount } from './money.js';
import { optInteger, optString, readMetadata } from './params.js';
import { buildCharge, buildRefund } from './refund-object.js';
import type { SessionRecord, SessionStore } from './sessions.js';
import { NO_REQUEST, type EmitEvent, type EventRequest } from './webhooks.js';

export type RefundMode = 'succeeded' | 'pending-then-succeeded' | 'pending-then-failed';

const REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);
/** What a failed refund reports; Stripe's most common reason for a refund to a dead card. */
const FAILURE_REASON = 'lost_or_stolen_card';

interface RefundRecord {
  refund: Stripe.Refund;
  session: SessionRecord;
  timer?: NodeJS.Timeout;
}

export class Refunds {
  private mode: RefundMode = 'succeeded';
  private delayMs = 1_000;
  /** Insertion order is creation order, which list() reverses. */
  private readonly byId = new Map<string, RefundRecord>();
  /** Refund ids per session, so forgetting a session costs its refunds, not all of them. */
  private readonly bySession = new Map<SessionRecord, string[]>();

  constructor(
    private readonly store: SessionStore,
    private readonly emit: EmitEvent,
  ) {
    // A forgotten session takes its refunds along (their pending timers too).
    store.onForget((session) => {
      for (const id of this.bySession.get(session) ?? []) {
        clearTimeout(this.byId.get(id)?.timer);
        this.byId.delete(id);
      }
      this.bySession.delete(session);
    });
  }

  setMode(mode: RefundMode, delayMs = this.delayMs): void {
    this.mode = mode;
    this.delayMs = delayMs;
  }

  get size(): number {
    return this.byId.size;
  }

  all(): Stripe.Refund[] {
    return [...this.byId.values()].map((r) => structuredClone(r.refund));
  }

  retrieve(id: string): Stripe.Refund {
    const record = this.byId.get(id);
    if (!record) throw resourceMissing('refund', id);
    return record.refund;
  }

  list(params: FormObject): Stripe.ApiList<Stripe.Refund> {
    const paymentIntent = optString(params, 'payment_intent');
    const charge = optString(params, 'charge');
    const created = createdFilter(params);
    const matching = [...this.byId.values()]
      .reverse()
      .map((r) => r.refund)
      .filter((r) => (paymentIntent === undefined || r.payment_intent === paymentIntent) && (charge === undefined || r.charge === charge))
      .filter((r) => created === undefined || created(r.created));
    return paginate(matching, params, '/v1/refunds', 'refund');
  }

  create(params: FormObject, request: EventRequest = NO_REQUEST): Stripe.Refund {
    if (params.charge !== undefined) throw invalidParam('charge', 'The Stripe emulator supports refunds by payment_intent only.');
    const paymentIntent = optString(params, 'payment_intent');
    if (paymentIntent === undefined) throw missingParam('payment_intent');
    const amount = optInteger(params, 'amount');
    if (amount !== undefined && amount < 1) throw invalidParam('amount', 'This value must be greater than or equal to 1.');
    const reason = optString(params, 'reason') ?? null;
    if (reason !== null && !REASONS.has(reason)) throw invalidParam('reason', `Invalid reason: must be one of ${[...REASONS].join(', ')}`);
    const metadata = readMetadata(params);

    const session = this.store.findByPaymentIntent(paymentIntent);
    // Stripe answers 400 (not 404) when a referenced object in the body does not exist.
    if (!session) throw resourceMissing('payment_intent', paymentIntent, 400, 'payment_intent');
    if (session.session.payment_status !== 'paid') {
      // A bank debit still processing (or failed) has no successful charge yet.
      throw stateError(`This PaymentIntent (${paymentIntent}) does not have a successful charge to refund.`, 'charge_not_refundable');
    }
    const total = session.session.amount_total ?? 0;
    const currency = session.session.currency ?? 'usd';
    const remaining = total - session.amountRefunded;
    if (remaining <= 0) throw stateError(`Charge for payment intent ${paymentIntent} has already been refunded.`, 'charge_already_refunded');
    const refundAmount = amount ?? remaining;
    if (refundAmount > remaining) {
      throw stateError(
        `Refund amount (${formatAmount(refundAmount, currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, currency)})`,
        'amount_too_large',
        'amount',
      );
    }
    // Pending refunds count against what is refundable, as at Stripe; a failure gives it back.
    session.amountRefunded += refundAmount;
    const status = this.mode === 'succeeded' ? 'succeeded' : 'pending';
    const refund = buildRefund({ paymentIntent, amount: refundAmount, currency, reason: reason as Stripe.Refund.Reason | null, metadata, status });
    const record: RefundRecord = { refund, session };
    this.byId.set(refund.id, record);
    this.bySession.set(session, [...(this.bySession.get(session) ?? []), refund.id]);
    this.emit('refund.created', refund, request);
    if (status === 'succeeded') this.emit('charge.refunded', buildCharge(session), request);
    else this.schedule(record, this.mode === 'pending-then-succeeded' ? 'succeeded' : 'failed');
    return refund;
  }

  stop(): void {
    for (const record of this.byId.values()) clearTimeout(record.timer);
  }

  private schedule(record: RefundRecord, outcome: 'succeeded' | 'failed'): void {
    record.timer = setTimeout(() => this.settle(record, outcome), this.delayMs);
    record.timer.unref(); // a pending refund must not keep a test process alive
  }

  /** The bank's answer arrives: caused by time, so the events carry no request. */
  private settle(record: RefundRecord, outcome: 'succeeded' | 'failed'): void {
    record.timer = undefined;
    const { refund, session } = record;
    if (outcome === 'succeeded') {
      refund.status = 'succeeded';
      refund.balance_transaction = `txn_${refund.id.slice(3)}`;
      this.emit('refund.updated', refund);
      this.emit('charge.refunded', buildCharge(session));
      return;
    }
    refund.status = 'failed';
    refund.failure_reason = FAILURE_REASON;
    session.amountRefunded -= refund.amount;
    this.emit('refund.updated', refund);
    this.emit('refund.failed', refund);
  }
}
