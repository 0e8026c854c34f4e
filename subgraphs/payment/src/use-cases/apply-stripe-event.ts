// A verified Stripe event: deduplicated by event id in the payment log (in the same transaction
// as its effect, so concurrent copies apply once), checked against the Payment, and turned into
// payment.succeeded / payment.expired / payment.failed.
import type Stripe from 'stripe';
import { newEvent } from '../../../../lib/contracts/events.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { MOVES_FROM, amountMatches, intentOf } from '../domain/stripe-events.js';
import { PaymentEntity, PaymentLogEntity, type PaymentStatus } from '../persistence/entities.js';
import type { PaymentDeps } from './deps.js';

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored' | 'unknown_session' | 'amount_mismatch' | 'stale';

const STATUS: Record<'succeeded' | 'expired' | 'failed', PaymentStatus> = { succeeded: 'SUCCEEDED', expired: 'EXPIRED', failed: 'FAILED' };

/** Thrown to roll back the log row: an event for a session we don't know yet must be retried by Stripe. */
class UnknownSession extends Error {}

/** The input is the event as verified against the webhook secret. */
export async function applyStripeEvent({ transact }: Pick<PaymentDeps, 'transact'>, event: Stripe.Event): Promise<WebhookOutcome> {
  const outcome = await transact(async (tx) => {
    const { em } = tx;
    try {
      await em.insert(PaymentLogEntity, { eventId: event.id, type: event.type, receivedAt: new Date(), outcome: 'received', detail: null });
    } catch (err) {
      if (isDuplicateKey(err)) return { outcome: 'duplicate' as const };
      throw err;
    }
    const result = await decide(tx, event);
    if (result.outcome === 'unknown_session') throw new UnknownSession();
    await em.update(PaymentLogEntity, { eventId: event.id }, { outcome: result.outcome, detail: result.detail ?? null });
    return result;
  }).catch((err) => (err instanceof UnknownSession ? { outcome: 'unknown_session' as const } : Promise.reject(err)));
  return outcome.outcome;
}

async function decide({ em, enqueue }: Transaction, event: Stripe.Event): Promise<{ outcome: WebhookOutcome; detail?: string }> {
  if (!event.type.startsWith('checkout.session.')) return { outcome: 'ignored' };
  const session = event.data.object as Stripe.Checkout.Session;
  const intent = intentOf(event.type, session.payment_status);
  if (intent === 'ignored') return { outcome: 'ignored' };
  const payment = await em.findOneBy(PaymentEntity, { sessionId: session.id });
  if (!payment) return { outcome: 'unknown_session', detail: session.id };
  if (intent === 'succeeded' && !amountMatches(payment, session)) {
    // Not paid for us, but money was taken: remember it so a cancellation refunds it.
    const taken = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
    if (taken && !payment.paymentIntentId) await em.update(PaymentEntity, { id: payment.id }, { paymentIntentId: taken, updatedAt: new Date() });
    return { outcome: 'amount_mismatch', detail: `expected ${payment.amount} ${payment.currency}, got ${session.amount_total} ${session.currency}` };
  }
  const from = MOVES_FROM[intent];
  if (!from.includes(payment.status)) return { outcome: 'stale', detail: `payment is ${payment.status}` };
  const now = new Date();
  const paymentIntent = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  const changed = await em
    .createQueryBuilder()
    .update(PaymentEntity)
    .set({ status: STATUS[intent], updatedAt: now, ...(intent === 'succeeded' ? { paidAt: now, paymentIntentId: paymentIntent } : {}) })
    .where('id = :id AND status IN (:...from)', { id: payment.id, from })
    .execute();
  if (!changed.affected) return { outcome: 'stale' };
  const { orderId } = payment;
  if (intent === 'succeeded') {
    await enqueue(
      newEvent('payment.succeeded', orderId, { orderId, paymentId: payment.id, amount: payment.amount, currency: payment.currency, paidAt: now.toISOString() }),
    );
  } else {
    const reason = intent === 'expired' ? 'payment session expired' : 'payment failed';
    await enqueue(newEvent(intent === 'expired' ? 'payment.expired' : 'payment.failed', orderId, { orderId, paymentId: payment.id, reason }));
  }
  return { outcome: 'applied' };
}
