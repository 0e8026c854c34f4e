// order.cancelled: never keep money for an order we won't fill. An open session is expired at
// Stripe; a payment that succeeded is refunded (idempotent per payment) and payment.refunded is
// published. The cancellation is remembered so a late order.created opens no session.
import type Stripe from 'stripe';
import { In } from 'typeorm';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import { newEvent } from '../../../../lib/contracts/events.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { OrderCancellationEntity, PaymentEntity, type PaymentStatus } from '../persistence/entities.js';
import type { PaymentDeps } from './deps.js';

export type Settled = { refund: Stripe.Refund } | { none: true };

export async function settleAtStripe({ db, stripe, log }: Pick<PaymentDeps, 'db' | 'stripe' | 'log'>, { orderId }: { orderId: string }): Promise<Settled> {
  const payment = await db.manager.findOneBy(PaymentEntity, { orderId });
  // SUCCEEDED, or OPEN with money taken whose amount did not match: either way it goes back.
  if ((payment?.status === 'SUCCEEDED' || payment?.status === 'OPEN') && payment.paymentIntentId) {
    const refund = await stripe.refunds.create(
      { payment_intent: payment.paymentIntentId, metadata: { orderId: payment.orderId } },
      { idempotencyKey: `refund-${payment.id}` },
    );
    return { refund };
  }
  if (payment?.status === 'OPEN' && payment.sessionId) {
    // The expiry webhook records the outcome; a session already completed or expired is fine.
    await stripe.checkout.sessions
      .expire(payment.sessionId, {}, { idempotencyKey: `expire-${payment.id}` })
      .catch((err: Error) => log.info({ err: err.message, orderId: payment.orderId }, 'session not expired'));
  }
  return { none: true };
}

export async function recordCancellation({ em, enqueue }: Transaction, { orderId, settled }: { orderId: string; settled: Settled }): Promise<Outcome> {
  if (!(await em.existsBy(OrderCancellationEntity, { orderId }))) await em.insert(OrderCancellationEntity, { orderId, at: new Date() });
  if (!('refund' in settled)) return 'applied';
  const changed = await em.update(
    PaymentEntity,
    { orderId, status: In<PaymentStatus>(['SUCCEEDED', 'OPEN']) },
    { status: 'REFUNDED', refundId: settled.refund.id, updatedAt: new Date() },
  );
  if (!changed.affected) return 'stale';
  const payment = await em.findOneByOrFail(PaymentEntity, { orderId });
  await enqueue(newEvent('payment.refunded', orderId, { orderId, paymentId: payment.id, refundId: settled.refund.id, amount: settled.refund.amount }));
  return 'applied';
}
