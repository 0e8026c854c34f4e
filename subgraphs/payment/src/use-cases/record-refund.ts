// What Stripe says of one of our refund rows (its create response, refund.* webhooks), applied
// once: a conditional update from PENDING. For an admin refund it also moves the money's story on:
// a success publishes payment.refunded (and makes the Payment REFUNDED once all of it is back), a
// failure gives the amount back to what may be refunded and publishes payment.refund_failed. A
// cancellation's refund row only follows: its Payment moves through move-payment.ts as before.
import type Stripe from 'stripe';
import { newEvent } from '../../../../lib/contracts/events.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { amountRefunded, refundStatusOf } from '../domain/refunds.js';
import { PaymentEntity, RefundEntity, type RefundRow } from '../persistence/entities.js';
import { releaseRefund } from '../persistence/refunds.js';
import { movePayment } from './move-payment.js';

export interface RefundOutcome {
  row: RefundRow;
  refund: Pick<Stripe.Refund, 'id' | 'status' | 'failure_reason'>;
}

export async function recordRefundOutcome(tx: Transaction, { row, refund }: RefundOutcome): Promise<Outcome> {
  const { em, enqueue } = tx;
  const status = refundStatusOf(refund.status);
  const now = new Date();
  if (status === 'PENDING') {
    if (!row.stripeRefundId) await em.update(RefundEntity, { id: row.id }, { stripeRefundId: refund.id, updatedAt: now });
    return 'stale';
  }
  const changed = await em.update(RefundEntity, { id: row.id, status: 'PENDING' }, { status, stripeRefundId: refund.id, updatedAt: now });
  if (!changed.affected) return 'stale';
  if (status === 'FAILED') await releaseRefund(em, row.paymentId, row.amount);
  if (row.kind !== 'ADMIN') return 'applied';
  const payment = await em.findOneByOrFail(PaymentEntity, { id: row.paymentId });
  const { orderId, id: paymentId } = payment;
  if (status === 'FAILED') {
    const reason = `refund failed: ${refund.failure_reason ?? 'unknown'}`;
    await enqueue(newEvent('payment.refund_failed', orderId, { orderId, paymentId, refundId: refund.id, reason }));
    return 'applied';
  }
  const refunded = amountRefunded(await em.findBy(RefundEntity, { paymentId }));
  // All of it back: the Payment is REFUNDED (the order's own status stays what it is).
  if (refunded >= payment.amount && (await movePayment(tx, payment, 'refunded', { refundId: refund.id, refundAmount: row.amount })) === 'applied') {
    return 'applied';
  }
  await enqueue(newEvent('payment.refunded', orderId, { orderId, paymentId, refundId: refund.id, amount: row.amount }));
  return 'applied';
}
