// A verified Stripe event: deduplicated by event id in the payment log (in the same transaction
// as its effect, so concurrent copies apply once), matched to one of our Payments, and turned into
// a status change and its event (move-payment.ts). Stripe sends events for everything on the
// account: what isn't ours is logged as foreign and answered 200, so Stripe stops retrying it.
import type Stripe from 'stripe';
import { isDuplicateKey, sqlTime } from '../../../../lib/platform/db/database.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import { selectRows } from '../../../../lib/platform/db/raw-rows.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { amountMatches, intentOf, mayStillBeOurs, refundIntentOf } from '../domain/stripe-events.js';
import { PaymentEntity, RefundEntity, type RefundRow } from '../persistence/entities.js';
import { refundRowFor } from '../persistence/refunds.js';
import type { PaymentDeps } from './deps.js';
import { movePayment } from './move-payment.js';
import { recordRefundOutcome } from './record-refund.js';

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored' | 'foreign' | 'unknown_session' | 'amount_mismatch' | 'stale';

interface Decision {
  outcome: WebhookOutcome;
  detail?: string;
  /** The move applied was a refund failing: an operator must act. */
  refundFailed?: boolean;
}

/** Thrown to roll back the log row: an event for a session we don't know yet must be retried by Stripe. */
class UnknownSession extends Error {}

/**
 * The input is the event as verified against the webhook secret. Its log row is queued
 * (folded-statements.ts) and travels with the first lookup: a copy of an event already logged
 * fails the whole transaction with a duplicate key, which is then the answer. Nothing else in it
 * can be a duplicate (the other writes are updates and outbox rows with fresh ids).
 */
export async function applyStripeEvent({ transact, config }: Pick<PaymentDeps, 'transact' | 'config'>, event: Stripe.Event): Promise<Decision> {
  return transact(async (tx) => {
    const { em } = tx;
    await queueWrite(em, 'INSERT INTO payment_log (event_id, type, received_at, outcome, detail) VALUES (?, ?, ?, ?, NULL)', [
      event.id,
      event.type,
      sqlTime(new Date()),
      'received',
    ]);
    const result = event.type.startsWith('checkout.session.') ? await decideSession(tx, event, config.PAYMENT_EVENT_GRACE) : await decideRefund(tx, event);
    if (result.outcome === 'unknown_session') throw new UnknownSession();
    await queueWrite(em, 'UPDATE payment_log SET outcome = ?, detail = ? WHERE event_id = ?', [
      result.outcome,
      result.detail?.slice(0, 1000) ?? null,
      event.id,
    ]);
    return result;
  }).catch((err) => {
    if (err instanceof UnknownSession) return { outcome: 'unknown_session' as const };
    if (isDuplicateKey(err)) return { outcome: 'duplicate' as const };
    throw err;
  });
}

async function decideSession(tx: Transaction, event: Stripe.Event, graceMs: number): Promise<Decision> {
  const session = event.data.object as Stripe.Checkout.Session;
  const intent = intentOf(event.type, session.payment_status);
  if (intent === 'ignored') return { outcome: 'ignored' };
  const [payment] = await selectRows(tx.em, PaymentEntity, 'session_id = ?', [session.id]);
  if (!payment) {
    // Ours but not recorded yet (its creation is committing): retried by Stripe, for a bounded time.
    if (mayStillBeOurs(session, new Date(), graceMs)) return { outcome: 'unknown_session', detail: session.id };
    return { outcome: 'foreign', detail: `session ${session.id}${session.metadata?.orderId ? ` for order ${session.metadata.orderId}` : ''}` };
  }
  const paymentIntentId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  if (intent === 'succeeded' && !amountMatches(payment, session)) {
    // Not paid for us, but money was taken: remember it so a cancellation refunds it.
    if (paymentIntentId && !payment.paymentIntentId) await tx.em.update(PaymentEntity, { id: payment.id }, { paymentIntentId, updatedAt: new Date() });
    return { outcome: 'amount_mismatch', detail: `expected ${payment.amount} ${payment.currency}, got ${session.amount_total} ${session.currency}` };
  }
  // A bank debit records its PaymentIntent as it completes (movePayment), so a cancellation can refund it.
  const moved = await movePayment(tx, payment, intent, { paymentIntentId });
  return moved === 'applied' ? { outcome: 'applied' } : { outcome: 'stale', detail: `payment is ${payment.status}` };
}

/**
 * refund.* and charge.refunded: matched to a Payment by its PaymentIntent. An admin refund's events
 * move only its refund row (record-refund.ts); the cancellation's also move the Payment, as before.
 */
async function decideRefund(tx: Transaction, event: Stripe.Event): Promise<Decision> {
  if (!event.type.startsWith('refund.') && event.type !== 'charge.refunded') return { outcome: 'ignored' };
  const object = event.data.object as Stripe.Refund | Stripe.Charge;
  const refund = object.object === 'refund' ? object : null;
  const row = refund ? await refundRowFor(tx.em, refund) : null;
  if (row?.kind === 'ADMIN') return decideAdminRefund(tx, row, refund!);
  // The cancellation's row follows what Stripe says too; its Payment moves below.
  if (row && refund) await recordRefundOutcome(tx, { row, refund });
  const intent = refundIntentOf(event.type, object);
  if (intent === 'ignored') return { outcome: 'ignored' };
  const paymentIntentId = typeof object.payment_intent === 'string' ? object.payment_intent : (object.payment_intent?.id ?? null);
  const payment = paymentIntentId ? await tx.em.findOneBy(PaymentEntity, { paymentIntentId }) : null;
  if (!payment) return { outcome: 'foreign', detail: `payment intent ${paymentIntentId ?? 'none'}` };
  // A charge fully refunded by admin refunds: their own refund events have said it all.
  if (!refund && (await tx.em.existsBy(RefundEntity, { paymentId: payment.id, kind: 'ADMIN' }))) return { outcome: 'ignored', detail: 'admin refunds' };
  const reason = refund?.failure_reason ? `refund failed: ${refund.failure_reason}` : 'refund failed';
  const moved = await movePayment(tx, payment, intent, { refundId: refund?.id ?? null, refundAmount: refund?.amount, reason });
  if (moved !== 'applied') return { outcome: 'stale', detail: `payment is ${payment.status}` };
  return { outcome: 'applied', refundFailed: intent === 'refund_failed', detail: intent === 'refund_failed' ? reason : undefined };
}

async function decideAdminRefund(tx: Transaction, row: RefundRow, refund: Stripe.Refund): Promise<Decision> {
  const moved = await recordRefundOutcome(tx, { row, refund });
  if (moved !== 'applied') return { outcome: 'stale', detail: `refund ${row.id} is ${row.status}` };
  const failed = refund.status === 'failed' || refund.status === 'canceled';
  return { outcome: 'applied', refundFailed: failed, detail: failed ? `refund failed: ${refund.failure_reason ?? 'unknown'}` : undefined };
}
