/**
 * ACH debit (`us_bank_account`), Stripe's asynchronous way to pay a Checkout Session: submitting
 * the page completes the session with `payment_status: unpaid` (checkout.session.completed);
 * days later the bank settles and Stripe sends checkout.session.async_payment_succeeded (now
 * `paid`) or checkout.session.async_payment_failed (still `unpaid`). Here "days" is a delay the
 * page or the test chooses, and settleNow() lets tests skip it.
 */
import type Stripe from 'stripe';
import { invalidParam, stateError } from './errors.js';
import type { SessionRecord, SessionStore } from './sessions.js';
import type { EmitEvent } from './webhooks.js';

export type DebitOutcome = 'succeeded' | 'failed';

export interface BankDebitOptions {
  outcome: DebitOutcome;
  /** How long until the bank settles; 0 settles on the next tick. */
  delayMs: number;
  email?: string;
}

/** Longest delay the page accepts: Stripe's ACH debits settle within a few business days, we cap at one day. */
export const MAX_DEBIT_DELAY_MS = 24 * 60 * 60 * 1000;

interface PendingDebit {
  outcome: DebitOutcome;
  timer: NodeJS.Timeout;
}

export class BankDebits {
  private readonly pending = new Map<string, PendingDebit>();

  constructor(
    private readonly store: SessionStore,
    private readonly emit: EmitEvent,
  ) {
    store.onForget((record) => this.forget(record.session.id));
  }

  start(sessionId: string, options: BankDebitOptions): Stripe.Checkout.Session {
    const record = this.store.require(sessionId);
    if (!record.session.payment_method_types.includes('us_bank_account')) {
      throw stateError(`This Checkout Session does not offer us_bank_account (currency ${record.session.currency}).`);
    }
    if (!Number.isInteger(options.delayMs) || options.delayMs < 0 || options.delayMs > MAX_DEBIT_DELAY_MS) {
      throw invalidParam('debit_delay_ms', `The debit delay must be a whole number of milliseconds from 0 to ${MAX_DEBIT_DELAY_MS}.`);
    }
    const session = this.store.complete(sessionId, 'unpaid', options.email);
    const timer = setTimeout(() => this.settle(record), options.delayMs);
    timer.unref(); // a pending debit must not keep a test process alive
    this.pending.set(sessionId, { outcome: options.outcome, timer });
    return session;
  }

  /** Sends the pending outcome now instead of after its delay. */
  settleNow(sessionId: string): Stripe.Checkout.Session {
    const record = this.store.require(sessionId);
    if (!this.pending.has(sessionId)) throw stateError(`Checkout Session ${sessionId} has no pending bank debit.`);
    this.settle(record);
    return record.session;
  }

  stop(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private settle(record: SessionRecord): void {
    const { session } = record;
    const debit = this.pending.get(session.id);
    if (!debit) return;
    this.forget(session.id);
    if (debit.outcome === 'succeeded') {
      session.payment_status = 'paid';
      this.emit('checkout.session.async_payment_succeeded', session);
    } else {
      this.emit('checkout.session.async_payment_failed', session);
    }
  }

  private forget(sessionId: string): void {
    clearTimeout(this.pending.get(sessionId)?.timer);
    this.pending.delete(sessionId);
  }
}
