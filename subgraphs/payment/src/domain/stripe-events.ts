// Pure rules for Stripe Checkout events: what each one asks of a payment, and whether the money
// Stripe says it took is exactly what we asked for.
import type { PaymentStatus } from '../persistence/entities.js';

export type StripeIntent = 'succeeded' | 'expired' | 'failed' | 'ignored';

export function intentOf(type: string, paymentStatus: string | null | undefined): StripeIntent {
  switch (type) {
    case 'checkout.session.completed':
      // Asynchronous methods complete unpaid and report later via async_payment_*.
      return paymentStatus === 'paid' ? 'succeeded' : 'ignored';
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

/** Statuses each intent may move a payment from. A late expiry never un-pays a payment. */
export const MOVES_FROM: Record<Exclude<StripeIntent, 'ignored'>, PaymentStatus[]> = {
  // Money taken after an expiry or failure still counts: the order refunds it if cancelled.
  succeeded: ['OPEN', 'EXPIRED', 'FAILED'],
  expired: ['OPEN'],
  failed: ['OPEN'],
};

export const amountMatches = (expected: { amount: number; currency: string }, got: { amount_total: number | null; currency: string | null }) =>
  got.amount_total === expected.amount && (got.currency ?? '').toUpperCase() === expected.currency.toUpperCase();
