// One way a Payment changes status, whoever learnt of it (a webhook, a refund's create response):
// a conditional update from the statuses the intent allows (domain/stripe-events.ts), and the
// event that says so, in the caller's transaction. Losing the race to another path is 'stale'.
import { IsNull } from 'typeorm';
import { newEvent, type NewEvent } from '../../../../lib/contracts/events.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { MOVES_FROM, STATUS_AFTER, type StripeIntent } from '../domain/stripe-events.js';
import { PaymentEntity, type PaymentRow } from '../persistence/entities.js';

export type Move = Exclude<StripeIntent, 'ignored'>;

export interface MoveDetail {
  /** Stripe's PaymentIntent, recorded when the money is taken (a cancellation refunds it). */
  paymentIntentId?: string | null;
  refundId?: string | null;
  refundAmount?: number;
  /** Why a refund failed, or the payment did. */
  reason?: string;
}

export async function movePayment({ em, enqueue }: Transaction, payment: PaymentRow, move: Move, detail: MoveDetail = {}): Promise<'applied' | 'stale'> {
  const now = new Date();
  const from = MOVES_FROM[move];
  const set: Partial<PaymentRow> = { status: STATUS_AFTER[move], updatedAt: now };
  if (detail.paymentIntentId) set.paymentIntentId = detail.paymentIntentId;
  if (move === 'succeeded') set.paidAt = now;
  if (detail.refundId) set.refundId = detail.refundId;
  const changed = await em.createQueryBuilder().update(PaymentEntity).set(set).where('id = :id AND status IN (:...from)', { id: payment.id, from }).execute();
  if (!changed.affected) {
    // Another path moved it first: charge.refunded, which names no refund, can settle a
    // cancellation's refund before the refund's own answer is recorded; keep the refund's id all the same.
    if (detail.refundId) await em.update(PaymentEntity, { id: payment.id, refundId: IsNull() }, { refundId: detail.refundId });
    return 'stale';
  }
  const event = eventFor(payment, move, detail, now);
  if (event) await enqueue(event);
  return 'applied';
}

function eventFor(payment: PaymentRow, move: Move, detail: MoveDetail, at: Date): NewEvent | null {
  const { orderId, id: paymentId } = payment;
  switch (move) {
    case 'processing':
      return newEvent('payment.processing', orderId, { orderId, paymentId });
    case 'succeeded':
      return newEvent('payment.succeeded', orderId, { orderId, paymentId, amount: payment.amount, currency: payment.currency, paidAt: at.toISOString() });
    case 'expired':
      return newEvent('payment.expired', orderId, { orderId, paymentId, reason: 'payment session expired' });
    case 'failed':
      return newEvent('payment.failed', orderId, { orderId, paymentId, reason: detail.reason ?? 'payment failed' });
    case 'refund_pending':
      return null;
    case 'refunded':
      return newEvent('payment.refunded', orderId, {
        orderId,
        paymentId,
        refundId: detail.refundId ?? payment.refundId ?? '',
        amount: detail.refundAmount ?? payment.amount,
      });
    case 'refund_failed':
      return newEvent('payment.refund_failed', orderId, {
        orderId,
        paymentId,
        refundId: detail.refundId ?? payment.refundId,
        reason: detail.reason ?? 'refund failed',
      });
  }
}
