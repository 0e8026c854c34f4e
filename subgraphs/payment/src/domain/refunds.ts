// Pure rules for refund rows: what a Stripe refund's status means for ours, and how much of a
// payment has gone back.
import type { RefundRow, RefundStatus } from '../persistence/entities.js';

/** Stripe's pending and requires_action are still on their way; canceled returns nothing. */
export function refundStatusOf(stripeStatus: string | null | undefined): RefundStatus {
  if (stripeStatus === 'succeeded') return 'SUCCEEDED';
  if (stripeStatus === 'failed' || stripeStatus === 'canceled') return 'FAILED';
  return 'PENDING';
}

export const amountRefunded = (refunds: Pick<RefundRow, 'amount' | 'status'>[]) =>
  refunds.filter((r) => r.status === 'SUCCEEDED').reduce((sum, r) => sum + r.amount, 0);

/** A refund request's amount: the one asked for, or all that is not refunded (or reserved) yet. */
export function refundAmountOf(requested: number | null | undefined, payment: { amount: number; refundReserved: number }): number {
  return requested ?? payment.amount - payment.refundReserved;
}
