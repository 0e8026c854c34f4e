// order.created → a Stripe Checkout Session for amountDue (its lines: domain/checkout-lines.ts),
// then Payment OPEN and payment.checkout_created in one transaction. The session is created before the transaction
// (never hold a database transaction across a network call) with an idempotency key derived from
// the order id, so a redelivery or a retry after a crash gets the same session back. A 5xx that
// Stripe saved for that key would be replayed on every retry: the order's open session is looked
// up instead, and only when there is none does the next try use the next key generation.
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import { newEvent, type EventPayloads } from '../../../../lib/contracts/events.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { SpanKind, withSpan } from '../../../../lib/platform/observability/telemetry.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import { PaymentEntity } from '../persistence/entities.js';
import { sessionExpiry } from '../domain/session-expiry.js';
import { checkoutLinesOf } from '../domain/checkout-lines.js';
import { isStripeServerError, keyFor } from '../domain/idempotency-keys.js';
import { advanceSessionKeyGeneration, sessionStateOf } from '../persistence/key-generations.js';
import { findOpenSession } from '../stripe/lookups.js';
import type { PaymentDeps } from './deps.js';

/** The order to take payment for, as order.created tells it. */
export type PlacedOrder = EventPayloads['order.created'];

export type Prepared = { session: Stripe.Checkout.Session; generation: number } | { skip: string };

export async function createSession({ db, stripe, config }: Pick<PaymentDeps, 'db' | 'stripe' | 'config'>, order: PlacedOrder): Promise<Prepared> {
  const { orderId, amountDue, currency, placedAt } = order;
  if (amountDue <= 0) return { skip: 'nothing to pay' };
  const { hasPayment, cancelled, generation } = await sessionStateOf(db.manager, orderId);
  if (hasPayment) return { skip: 'payment exists' };
  if (cancelled) return { skip: 'order cancelled' };
  const returnUrl = `${config.STOREFRONT_URL.replace(/\/$/, '')}/orders/${orderId}`;
  // Stripe's bounds hold for the emulator too, unless tests allow it shorter windows on purpose.
  const stripeBounds = !!config.STRIPE_SECRET_KEY || !config.STRIPE_EMULATOR_ALLOW_SHORT_EXPIRY;
  const expiresAt = sessionExpiry(Date.parse(placedAt), config.PAYMENT_WINDOW, stripeBounds);
  const create = () =>
    withSpan('stripe checkout.sessions.create', { service: 'payment', kind: SpanKind.CLIENT, attributes: { 'checkout.order_id': orderId } }, () =>
      stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: checkoutLinesOf(order).map((line) => ({
            quantity: 1,
            price_data: { currency: currency.toLowerCase(), unit_amount: line.amount, product_data: { name: line.name } },
          })),
          ...(order.email ? { customer_email: order.email } : {}),
          metadata: { orderId },
          client_reference_id: orderId,
          success_url: returnUrl,
          cancel_url: returnUrl,
          expires_at: expiresAt,
        },
        // The key names the parameters too: a retry sends identical ones and gets the same session.
        { idempotencyKey: keyFor(`checkout-session-${orderId}-${expiresAt}`, generation) },
      ),
    );
  try {
    return { session: await create(), generation };
  } catch (err) {
    if (!isStripeServerError(err)) throw err;
    // The failed request may have made the session before failing: use it if so; otherwise the
    // redelivery that follows this error tries the next generation's key.
    const made = await findOpenSession(stripe, orderId, Math.floor(Date.parse(placedAt) / 1000) - 60);
    if (made) return { session: made, generation };
    await advanceSessionKeyGeneration(db, orderId, generation);
    throw err;
  }
}

export interface SessionToRecord {
  order: PlacedOrder;
  /** The checkout's trace, kept on the Payment so its webhooks continue it. */
  traceparent: string | null;
  prepared: Prepared;
}

export async function recordSession({ em, enqueue }: Transaction, { order, traceparent, prepared }: SessionToRecord): Promise<Outcome> {
  if ('skip' in prepared) return 'stale';
  const { orderId, customerId, amountDue, currency } = order;
  // Cancelled while the session was being created: keep the session on record (its expiry or a
  // payment still reaches us) but never offer it to the customer.
  const { hasPayment, cancelled } = await sessionStateOf(em, orderId);
  if (hasPayment) return 'stale';
  const now = new Date();
  const payment = {
    id: randomUUID(),
    orderId,
    customerId,
    amount: amountDue,
    currency,
    status: 'OPEN' as const,
    sessionId: prepared.session.id,
    checkoutUrl: cancelled ? null : prepared.session.url,
    paymentIntentId: null,
    refundId: null,
    paidAt: null,
    sessionKeyGeneration: prepared.generation,
    refundKeyGeneration: 0,
    refundReserved: 0,
    traceparent,
    createdAt: now,
    updatedAt: now,
  };
  // Queued, to travel with the COMMIT: a racing copy fails there on the order's unique Payment, as it would here.
  await queueWrite(em, em.createQueryBuilder().insert().into(PaymentEntity).values(payment));
  // Announced either way: the order (already cancelled, if so) keeps the link for its live pushes.
  await enqueue(
    newEvent('payment.checkout_created', orderId, { orderId, paymentId: payment.id, sessionId: payment.sessionId, checkoutUrl: payment.checkoutUrl ?? '' }),
  );
  return 'applied';
}
