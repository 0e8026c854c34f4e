// Pure rules for the Stripe events we act on: what each asks of a payment, which statuses it may
// move a payment from, and whether the money Stripe says it took is exactly what we asked for.
import type { PaymentStatus } from '../persistence/entities.js';

/** refund_pending comes only from a refund's create response: events move a payment only on a final outcome. */
export type StripeIntent = 'processing' | 'succeeded' | 'expired' | 'failed' | 'refund_pending' | 'refunded' | 'refund_failed' | 'ignored';

/** A Checkout Session event: completed-and-paid, completed-but-pending (bank debits), expired, or an async outcome. */
export function intentOf(type: string, paymentStatus: string | null | undefined): StripeIntent {
  switch (type) {
    case 'checkout.session.completed':
      // Delayed methods (bank debits) complete unpaid and report later via async_payment_*.
      return paymentStatus === 'paid' ? 'succeeded' : paymentStatus === 'unpaid' ? 'processing' : 'ignored';
    case 'checkout.session.async_payment_succeeded':
      return 'succeeded';
    case 'checkout.session.expired':
      return 'expired';
    case 'checkout.session.async_payment_failed':
      return 'failed';
    default:
      return 'ignored';
  }
}

/**
 * A refund's outcome from refund.created / refund.updated / refund.failed (a Refund) or
 * charge.refunded (a Charge): only what Stripe says is final moves the payment; pending stays.
 */
export function refundIntentOf(type: string, object: { status?: string | null; refunded?: boolean }): StripeIntent {
  if (type === 'charge.refunded') return object.refunded ? 'refunded' : 'ignored';
  if (type === 'refund.failed') return 'refund_failed';
  if (type === 'refund.created' || type === 'refund.updated') {
    if (object.status === 'succeeded') return 'refunded';
    if (object.status === 'failed') return 'refund_failed';
  }
  return 'ignored';
}

/** Statuses each intent may move a payment from. A late expiry never un-pays a payment. */
export const MOVES_FROM: Record<Exclude<StripeIntent, 'ignored'>, PaymentStatus[]> = {
  processing: ['OPEN'],
  // Money taken after an expiry or failure still counts: the order refunds it if cancelled.
  succeeded: ['OPEN', 'PROCESSING', 'EXPIRED', 'FAILED'],
  expired: ['OPEN'],
  failed: ['OPEN', 'PROCESSING'],
  // A refund may be seen succeeding before its create call was recorded (SUCCEEDED still), and
  // Stripe may report a failure after a success.
  refund_pending: ['SUCCEEDED', 'PROCESSING', 'OPEN'],
  refunded: ['SUCCEEDED', 'PROCESSING', 'REFUND_PENDING', 'OPEN'],
  refund_failed: ['SUCCEEDED', 'PROCESSING', 'REFUND_PENDING', 'REFUNDED', 'OPEN'],
};

/** The status each intent moves a payment to. */
export const STATUS_AFTER: Record<Exclude<StripeIntent, 'ignored'>, PaymentStatus> = {
  processing: 'PROCESSING',
  succeeded: 'SUCCEEDED',
  expired: 'EXPIRED',
  failed: 'FAILED',
  refund_pending: 'REFUND_PENDING',
  refunded: 'REFUNDED',
  refund_failed: 'REFUND_FAILED',
};

export const amountMatches = (expected: { amount: number; currency: string }, got: { amount_total: number | null; currency: string | null }) =>
  got.amount_total === expected.amount && (got.currency ?? '').toUpperCase() === expected.currency.toUpperCase();

/**
 * Whether a session event we can't match to a Payment may still become ours: only a session that
 * names one of our orders (metadata.orderId), created within the grace period (its Payment may be
 * committing right now). Anything else is foreign: another app on the account, a Payment Link,
 * `stripe trigger`, or a session too old to be one we are still recording.
 */
export function mayStillBeOurs(session: { metadata?: Record<string, string> | null; created: number }, now: Date, graceMs: number): boolean {
  return !!session.metadata?.orderId && now.getTime() - session.created * 1000 < graceMs;
}
