// order.cancelled: never keep money for an order we won't fill. An open session is expired at
// Stripe; money taken is refunded (one refund per payment, however the create call fails) and the
// Payment follows what Stripe says of the refund: REFUNDED (payment.refunded) when it succeeded,
// REFUND_PENDING until a webhook says more, REFUND_FAILED (payment.refund_failed) when it failed.
// The cancellation is remembered so a late order.created opens no session.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { isStripeServerError, keyFor } from '../domain/idempotency-keys.js';
import { advanceRefundKeyGeneration } from '../persistence/key-generations.js';
import type { EntityManager } from 'typeorm';
import { refundStatusOf } from '../domain/refunds.js';
import { OrderCancellationEntity, PaymentEntity, RefundEntity, type PaymentRow } from '../persistence/entities.js';
import { countRefundMade } from '../persistence/refunds.js';
import { findLiveRefund } from '../stripe/lookups.js';
import type { PaymentDeps } from './deps.js';
import { movePayment, type Move } from './move-payment.js';

export type Settled = { refund: Stripe.Refund } | { none: true };

export async function settleAtStripe(deps: Pick<PaymentDeps, 'db' | 'stripe' | 'log' | 'metrics'>, { orderId }: { orderId: string }): Promise<Settled> {
  const { db, stripe, log } = deps;
  const payment = await db.manager.findOneBy(PaymentEntity, { orderId });
  // Money taken (SUCCEEDED, or OPEN with an amount that did not match): it goes back. A bank debit
  // still PROCESSING can't be refunded yet; if it succeeds later, the order answers the payment
  // with order.cancelled again, and it is refunded then.
  if (payment && (payment.status === 'SUCCEEDED' || payment.status === 'OPEN') && payment.paymentIntentId) {
    // Admin refunds may have returned part of it already: only the rest goes back.
    if (payment.refundReserved >= payment.amount) return { none: true };
    const refund = await refundOnce(deps, payment, payment.paymentIntentId);
    if (refund.status === 'failed') {
      deps.metrics.refundFailures.inc();
      log.error({ orderId, refundId: refund.id, reason: refund.failure_reason }, 'a refund failed: an operator must return the money by other means');
    }
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

/**
 * Creates the payment's refund, or finds the one a failed or earlier call made: Stripe replays a
 * saved 5xx for the key, and refuses a second refund of a refunded charge.
 */
async function refundOnce({ db, stripe }: Pick<PaymentDeps, 'db' | 'stripe'>, payment: PaymentRow, paymentIntentId: string): Promise<Stripe.Refund> {
  const generation = payment.refundKeyGeneration;
  try {
    return await stripe.refunds.create(
      {
        payment_intent: paymentIntentId,
        // Without an amount Stripe refunds all that is left; given only when part went back already.
        ...(payment.refundReserved > 0 ? { amount: payment.amount - payment.refundReserved } : {}),
        metadata: { orderId: payment.orderId },
      },
      { idempotencyKey: keyFor(`refund-${payment.id}`, generation) },
    );
  } catch (err) {
    const alreadyRefunded = (err as { code?: string }).code === 'charge_already_refunded';
    if (!alreadyRefunded && !isStripeServerError(err)) throw err;
    const made = await findLiveRefund(stripe, paymentIntentId);
    if (made) return made;
    // Nothing was refunded: the redelivery that follows this error tries the next key.
    await advanceRefundKeyGeneration(db, payment.id, generation);
    throw err;
  }
}

const MOVE_FOR_REFUND: Partial<Record<string, Move>> = {
  succeeded: 'refunded',
  failed: 'refund_failed',
  pending: 'refund_pending',
  requires_action: 'refund_pending',
};

export async function recordCancellation(tx: Transaction, { orderId, settled }: { orderId: string; settled: Settled }): Promise<Outcome> {
  const { em } = tx;
  if (!(await em.existsBy(OrderCancellationEntity, { orderId }))) await em.insert(OrderCancellationEntity, { orderId, at: new Date() });
  if (!('refund' in settled)) return 'applied';
  const { refund } = settled;
  const payment = await em.findOneByOrFail(PaymentEntity, { orderId });
  await recordCancellationRefund(em, payment, refund);
  const move = MOVE_FOR_REFUND[refund.status ?? ''] ?? 'refund_pending';
  const reason = refund.failure_reason ? `refund failed: ${refund.failure_reason}` : undefined;
  return movePayment(tx, payment, move, { refundId: refund.id, refundAmount: refund.amount, reason });
}

/** The cancellation's refund as one of the payment's refund rows (Payment.refunds), once. */
async function recordCancellationRefund(em: EntityManager, payment: PaymentRow, refund: Stripe.Refund): Promise<void> {
  if (await em.existsBy(RefundEntity, { stripeRefundId: refund.id })) return;
  const status = refundStatusOf(refund.status);
  const at = new Date();
  await em.insert(RefundEntity, {
    id: randomUUID(),
    paymentId: payment.id,
    kind: 'CANCELLATION',
    amount: refund.amount,
    currency: payment.currency,
    status,
    reason: 'order cancelled',
    stripeRefundId: refund.id,
    keyGeneration: payment.refundKeyGeneration,
    actorId: null,
    createdAt: at,
    updatedAt: at,
  });
  if (status !== 'FAILED') await countRefundMade(em, payment.id, refund.amount);
}
