// refundOrder: an admin returns part or all of a paid order's money. Three steps, never a
// transaction held across Stripe: (1) one transaction reserves the amount on the Payment (a
// conditional UPDATE, so racing requests can't exceed what was paid), writes the PENDING refund
// row and the audit event; (2) Stripe is asked, with a key per refund row; (3) the outcome is
// recorded (record-refund.ts), or, when Stripe refused or made nothing, the row fails and the
// amount is released. A saved 5xx is checked against Stripe's refunds before a new key is used.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { adminAction } from '../../../../lib/contracts/audit.js';
import { badInput, notFound, userError } from '../../../../lib/contracts/errors.js';
import { isStripeServerError, keyFor } from '../domain/idempotency-keys.js';
import { refundAmountOf } from '../domain/refunds.js';
import { PaymentEntity, RefundEntity, type PaymentRow, type RefundRow } from '../persistence/entities.js';
import { releaseRefund, reserveRefund } from '../persistence/refunds.js';
import { findLiveRefund } from '../stripe/lookups.js';
import type { PaymentDeps } from './deps.js';
import { recordRefundOutcome } from './record-refund.js';

/** Key generations tried within one request before giving up (each only after Stripe shows nothing was made). */
const GENERATIONS_PER_REQUEST = 3;

export interface RefundRequest {
  actorId: string;
  orderId: string;
  /** Minor units; absent: all that is not refunded yet. */
  amount?: number | null;
  reason?: string | null;
}

type Deps = Pick<PaymentDeps, 'db' | 'transact' | 'stripe' | 'log' | 'metrics'>;

export async function refundOrder(deps: Deps, input: RefundRequest): Promise<PaymentRow> {
  if (input.amount != null && (!Number.isInteger(input.amount) || input.amount < 1)) {
    throw badInput('amount must be a positive whole number of minor units', { field: 'amount' });
  }
  const { payment, row } = await reserve(deps, input);
  await carryOutRefund(deps, payment, row);
  // As it stands now: the refund just recorded may have made it REFUNDED.
  return deps.db.manager.findOneByOrFail(PaymentEntity, { id: payment.id });
}

/**
 * Steps 2 and 3 for a reserved refund row: Stripe is asked, and the outcome recorded. Also how the
 * sweeper resumes a row whose request died in between (resume-refunds.ts): the row's key makes
 * Stripe answer with the refund it already made, if it made one.
 */
export async function carryOutRefund(deps: Deps, payment: PaymentRow, row: RefundRow): Promise<void> {
  let refund: Stripe.Refund;
  try {
    refund = await createAtStripe(deps, payment, row);
  } catch (err) {
    // Stripe refused it, or made nothing under any key tried: nothing goes back, the amount is free again.
    await deps.transact(async ({ em }) => {
      const failed = await em.update(RefundEntity, { id: row.id, status: 'PENDING' }, { status: 'FAILED', updatedAt: new Date() });
      if (failed.affected) await releaseRefund(em, payment.id, row.amount);
    });
    if (isStripeServerError(err)) throw userError('INTERNAL_SERVER_ERROR', 'Stripe is unavailable: nothing was refunded, try again');
    throw badInput(`Stripe refused the refund: ${(err as Error).message}`);
  }
  const outcome = await deps.transact((tx) => recordRefundOutcome(tx, { row, refund }));
  if (outcome === 'applied' && refund.status === 'failed') {
    deps.metrics.refundFailures.inc();
    deps.log.error(
      { orderId: payment.orderId, refundId: refund.id, reason: refund.failure_reason },
      'a refund failed: an operator must return the money by other means',
    );
  }
}

async function reserve({ transact }: Deps, { actorId, orderId, amount: requested, reason }: RefundRequest) {
  return transact(async ({ em, enqueue }) => {
    const payment = await em.findOneBy(PaymentEntity, { orderId });
    if (!payment) throw notFound('A payment for this order');
    if (payment.status !== 'SUCCEEDED' || !payment.paymentIntentId) {
      throw badInput(`Only a paid order can be refunded: its payment is ${payment.status}`, { field: 'orderId' });
    }
    const amount = refundAmountOf(requested, payment);
    if (amount < 1 || !(await reserveRefund(em, payment.id, amount))) {
      const now = await em.findOneByOrFail(PaymentEntity, { id: payment.id });
      const refundable = Math.max(0, now.amount - now.refundReserved);
      throw badInput(`At most ${refundable} ${payment.currency} (minor units) can still be refunded`, { field: 'amount', refundable });
    }
    const at = new Date();
    const row: RefundRow = {
      id: randomUUID(),
      paymentId: payment.id,
      kind: 'ADMIN',
      amount,
      currency: payment.currency,
      status: 'PENDING',
      reason: reason?.trim().slice(0, 500) || null,
      stripeRefundId: null,
      keyGeneration: 0,
      actorId,
      createdAt: at,
      updatedAt: at,
    };
    await em.insert(RefundEntity, row);
    await enqueue(adminAction(actorId, 'refundOrder', orderId, `refund of ${amount} ${payment.currency} requested`));
    return { payment, row };
  });
}

/** The refund row's one Stripe refund, however its create calls fail (see domain/idempotency-keys.ts). */
async function createAtStripe({ stripe, transact }: Deps, payment: PaymentRow, row: RefundRow): Promise<Stripe.Refund> {
  const paymentIntentId = payment.paymentIntentId!;
  for (let generation = row.keyGeneration; ; generation++) {
    try {
      return await stripe.refunds.create(
        {
          payment_intent: paymentIntentId,
          amount: row.amount,
          metadata: { orderId: payment.orderId, refundId: row.id, ...(row.reason ? { reason: row.reason } : {}) },
        },
        { idempotencyKey: keyFor(`refund-${row.id}`, generation) },
      );
    } catch (err) {
      if (!isStripeServerError(err)) throw err;
      const made = await findLiveRefund(stripe, paymentIntentId, row.id);
      if (made) return made;
      if (generation + 1 >= row.keyGeneration + GENERATIONS_PER_REQUEST) throw err;
      await transact(({ em }) => em.update(RefundEntity, { id: row.id, keyGeneration: generation }, { keyGeneration: generation + 1 }));
    }
  }
}
