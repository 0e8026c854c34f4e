// Reads that tell whether a create that failed made something after all, so a retry never makes a
// second session or refund (see domain/idempotency-keys.ts).
import type Stripe from 'stripe';

/** Pages read at most when looking for an order's open session among the account's recent ones. */
const MAX_PAGES = 10;

/** The order's open Checkout Session made since `sinceSeconds`, if any (sessions name their order in client_reference_id). */
export async function findOpenSession(stripe: Stripe, orderId: string, sinceSeconds: number): Promise<Stripe.Checkout.Session | null> {
  let startingAfter: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await stripe.checkout.sessions.list({ status: 'open', created: { gte: sinceSeconds }, limit: 100, starting_after: startingAfter });
    const found = list.data.find((s) => s.client_reference_id === orderId);
    if (found) return found;
    if (!list.has_more || !list.data.length) return null;
    startingAfter = list.data[list.data.length - 1]!.id;
  }
  return null;
}

/**
 * A refund of this PaymentIntent that is returning (or has returned) the money, if any: with
 * refundId, the one made for that refund row of ours (metadata.refundId); without, the
 * cancellation's, which names no row (admin refunds of the same payment are not it).
 */
export async function findLiveRefund(stripe: Stripe, paymentIntentId: string, refundId?: string): Promise<Stripe.Refund | null> {
  const list = await stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 });
  const mine = (r: Stripe.Refund) => (refundId ? r.metadata?.refundId === refundId : !r.metadata?.refundId);
  return list.data.find((r) => mine(r) && r.status !== 'failed' && r.status !== 'canceled') ?? null;
}
