// The Stripe webhook can't be fooled: signatures, replays, amounts, late and early events,
// and money never kept for a cancelled order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import type { System } from '../../../lib/system/system.js';
import { newEvent } from '../../../lib/contracts/events.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { PaymentEntity, PaymentLogEntity } from '../src/persistence/entities.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const stripe = new Stripe('sk_test_signing_only');
const webhookUrl = `${sys.subgraphs.payment.url}/stripe/webhook`;
const paymentDb = sys.subgraphs.payment.runtime.db;

let eventCounter = 0;
function sessionEvent(type: string, session: Record<string, unknown>, id = `evt_test_${Date.now()}_${eventCounter++}`) {
  return JSON.stringify({
    id,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { object: 'checkout.session', ...session } },
  });
}

async function deliver(
  payload: string,
  {
    secret = sys.config.STRIPE_WEBHOOK_SECRET,
    timestamp = Math.floor(Date.now() / 1000),
    header,
  }: { secret?: string; timestamp?: number; header?: string | null } = {},
) {
  const signature = header === undefined ? stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) : header;
  return fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'stripe-signature': signature }) },
    body: payload,
  });
}

async function waitingOrder(shopper: Shopper, quantity = 1) {
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await shopper.placeOrder({ items: [{ productId: product, quantity }] });
  const waiting = await shopper.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  return { product, order: waiting, sessionId: waiting.payment.stripeCheckoutSessionId as string };
}

const paidSession = (sessionId: string, amount: number, extra: Record<string, unknown> = {}) => ({
  id: sessionId,
  payment_status: 'paid',
  status: 'complete',
  amount_total: amount,
  currency: 'usd',
  payment_intent: 'pi_test_forged',
  ...extra,
});

test('bad signature, wrong secret, tampered body, stale or future timestamp, no header → 400 and no change', async () => {
  const ann = await signUp(sys, 'Ann');
  const { order, sessionId } = await waitingOrder(ann);
  const payload = sessionEvent('checkout.session.completed', paidSession(sessionId, order.amountDue.amount));
  const good = stripe.webhooks.generateTestHeaderString({ payload, secret: sys.config.STRIPE_WEBHOOK_SECRET });
  const attempts = [
    deliver(payload, { header: good.replace(/v1=([0-9a-f])/, (_m, c: string) => `v1=${c === '0' ? '1' : '0'}`) }),
    deliver(payload, { secret: 'whsec_wrong' }),
    deliver(payload.replace('"paid"', '"paid" '), { header: good }),
    deliver(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    deliver(payload, { timestamp: Math.floor(Date.now() / 1000) + 600 }),
    deliver(payload, { header: null }),
    deliver('not json', {}),
  ];
  for (const res of await Promise.all(attempts)) assert.equal(res.status, 400);
  assert.equal((await paymentDb.manager.findOneByOrFail(PaymentEntity, { sessionId })).status, 'OPEN');
  assert.equal(await paymentDb.manager.countBy(PaymentLogEntity, { eventId: JSON.parse(payload).id }), 0, 'a refused event is not logged as received');
  assert.equal((await ann.order(order.id))!.status, 'WAITING_FOR_PAYMENT');
});

test('the same event 5 times concurrently has one effect', async () => {
  const bea = await signUp(sys, 'Bea');
  const { order, sessionId } = await waitingOrder(bea);
  const payload = sessionEvent('checkout.session.completed', paidSession(sessionId, order.amountDue.amount));
  const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(payload)));
  assert.deepEqual(
    answers.map((r) => r.status),
    [200, 200, 200, 200, 200],
  );
  const outcomes = await Promise.all(answers.map((r) => r.json() as Promise<{ outcome: string }>));
  assert.equal(outcomes.filter((o) => o.outcome === 'applied').length, 1);
  assert.equal(outcomes.filter((o) => o.outcome === 'duplicate').length, 4);
  const paid = await bea.waitForStatus(order.id, 'FINISHED');
  assert.equal(paid.statusHistory.filter((h: { status: string }) => h.status === 'PAID').length, 1);
  const me = await bea.query(`{ me { loyaltyPoints } }`);
  assert.equal(me.me.loyaltyPoints, 15);
});

test('amount or currency mismatch never marks anything paid, and is logged', async () => {
  const cal = await signUp(sys, 'Cal');
  const { order, sessionId } = await waitingOrder(cal);
  for (const session of [paidSession(sessionId, order.amountDue.amount - 1), paidSession(sessionId, order.amountDue.amount, { currency: 'eur' })]) {
    const res = await deliver(sessionEvent('checkout.session.completed', session));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { outcome: string }).outcome, 'amount_mismatch');
  }
  assert.equal((await paymentDb.manager.findOneByOrFail(PaymentEntity, { sessionId })).status, 'OPEN');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await cal.order(order.id))!.status, 'WAITING_FOR_PAYMENT');
});

test('completed, then a late expired: the order stays paid', async () => {
  const dee = await signUp(sys, 'Dee');
  const { order, sessionId } = await waitingOrder(dee);
  assert.equal((await deliver(sessionEvent('checkout.session.completed', paidSession(sessionId, order.amountDue.amount)))).status, 200);
  const late = await deliver(
    sessionEvent('checkout.session.expired', {
      id: sessionId,
      payment_status: 'unpaid',
      status: 'expired',
      amount_total: order.amountDue.amount,
      currency: 'usd',
    }),
  );
  assert.equal(((await late.json()) as { outcome: string }).outcome, 'stale');
  const done = await dee.waitForStatus(order.id, 'FINISHED');
  assert.equal(done.payment.status, 'SUCCEEDED');
  assert.ok(!done.statusHistory.some((h: { status: string }) => h.status === 'CANCELLED'));
});

test('unknown event types are answered 200 and logged', async () => {
  const res = await deliver(JSON.stringify({ id: 'evt_unknown_type_1', object: 'event', type: 'customer.created', data: { object: {} } }));
  assert.equal(res.status, 200);
  assert.equal((await paymentDb.manager.findOneByOrFail(PaymentLogEntity, { eventId: 'evt_unknown_type_1' })).outcome, 'ignored');
});

test('payment landing before WAITING_FOR_PAYMENT was seen: PENDING → PAID', async () => {
  const emulator = sys.emulator!;
  emulator.failNext('POST', '/v1/checkout/sessions', 1000); // payment can't open a session yet
  const eli = await signUp(sys, 'Eli');
  const product = await createDigitalProduct(admin, 10, 900);
  const placed = await eli.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  // As payment would publish it from the webhook of a session order has not heard of yet.
  await sys.subgraphs.payment.runtime.transact((tx) =>
    tx.enqueue(
      newEvent('payment.succeeded', placed.id, { orderId: placed.id, paymentId: 'p-early', amount: 900, currency: 'USD', paidAt: new Date().toISOString() }),
    ),
  );
  sys.subgraphs.payment.runtime.relay.nudge();
  try {
    const paid = await eli.waitForStatus(placed.id, 'FINISHED');
    assert.deepEqual(
      paid.statusHistory.map((h: { status: string }) => h.status),
      ['PENDING', 'PAID', 'FINISHED'],
    );
  } finally {
    emulator.failNext('POST', '/v1/checkout/sessions', 0);
  }
});

test('the emulator answers 500 twice, then succeeds: exactly one Checkout Session for the order', async () => {
  sys.emulator!.failNext('POST', '/v1/checkout/sessions', 2);
  const fay = await signUp(sys, 'Fay');
  const { order } = await waitingOrder(fay);
  assert.equal(sys.emulator!.sessions().filter((s) => s.metadata?.orderId === order.id).length, 1);
});

test('cancelled while paying, completed after: refunded through Stripe, stock back', async () => {
  const gil = await signUp(sys, 'Gil');
  const { order, sessionId, product } = await waitingOrder(gil, 2);
  // Keep the session open at Stripe although the order is cancelled, as when the customer is mid-payment.
  sys.emulator!.failNext('POST', `/v1/checkout/sessions/${sessionId}/expire`, 20);
  await gil.query(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: order.id });
  await waitFor(async () => (await stockOf(sys, product)).available === 10, 'stock released on cancel');
  await new Promise((r) => setTimeout(r, 300)); // let payment try (and fail) to expire the session
  await sys.emulator!.pay(sessionId);
  const refunded = await waitFor(async () => {
    const o = await gil.order(order.id);
    return o?.payment?.status === 'REFUNDED' ? o : null;
  }, 'the payment to be refunded');
  assert.equal(refunded.status, 'CANCELLED');
  // charge.refunded names no refund and may settle the Payment first; the refund's own answer records its id.
  const payment = await waitFor(async () => {
    const p = await paymentDb.manager.findOneByOrFail(PaymentEntity, { sessionId });
    return p.refundId ? p : null;
  }, 'the refund id recorded');
  assert.match(payment.paymentIntentId!, /^pi_/);
  assert.match(payment.refundId!, /^re_/);
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 10, available: 10 });
});
