// Payments against Stripe's real rules, through the real SDK and the emulator: saved 500s that
// Stripe replays for a key, refunds that are pending, then succeed or fail, and bank debits that
// complete unpaid and settle days later.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { outboxEvents } from '../../../lib/testkit/outbox.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { PaymentEntity } from '../src/persistence/entities.js';

// A short payment window, so a bank debit visibly outlives it.
const sys: System = await testSystem({ PAYMENT_WINDOW: '2s', PAYMENT_GRACE: '1s', SWEEP_INTERVAL: '200ms' });
const admin: Shopper = await logInAdmin(sys);
const emulator = sys.emulator!;
const paymentDb = sys.subgraphs.payment.runtime.db;

// The SDK's own retries of a 500 take seconds: sessions under test there get the usual window.
const roomy: System = await testSystem();
const roomyAdmin: Shopper = await logInAdmin(roomy);

async function waitingOrder(name: string, stock = 10, on: System = sys) {
  const product = await createDigitalProduct(on === sys ? admin : roomyAdmin, stock, 1500);
  const shopper = await signUp(on, name);
  const placed = await shopper.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const waiting = await shopper.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  return { shopper, product, orderId: placed.id as string, sessionId: waiting.payment.stripeCheckoutSessionId as string };
}

const openSessionsOf = (orderId: string) => roomy.emulator!.sessions().filter((s) => s.metadata?.orderId === orderId && s.status === 'open');

/** Cancel while the customer is on the payment page (the session stays open), then pay: the money must go back. */
async function paidAfterCancel(name: string) {
  const w = await waitingOrder(name);
  emulator.failNext('POST', `/v1/checkout/sessions/${w.sessionId}/expire`, 20);
  await w.shopper.query(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: w.orderId });
  await new Promise((r) => setTimeout(r, 300));
  await emulator.pay(w.sessionId);
  return w;
}

const paymentOf = (orderId: string, on: System = sys) => on.subgraphs.payment.runtime.db.manager.findOneByOrFail(PaymentEntity, { orderId });
const paymentEvents = async (orderId: string) => (await outboxEvents(paymentDb, { aggregateId: orderId })).map((e) => e.type);

test('a 500 Stripe saved after making the session is replayed for the key: the session it made is used, exactly one', async () => {
  roomy.emulator!.failNext('POST', '/v1/checkout/sessions', 1, 'after');
  const { orderId, sessionId } = await waitingOrder('Ada', 10, roomy);
  assert.equal(openSessionsOf(orderId).length, 1);
  assert.equal(openSessionsOf(orderId)[0]!.id, sessionId);
  assert.equal((await paymentOf(orderId, roomy)).sessionKeyGeneration, 0, 'nothing new was needed');
});

test('500s before Stripe executed anything, past the SDK retries: the next key generation makes the one session', async () => {
  roomy.emulator!.failNext('POST', '/v1/checkout/sessions', 4, 'before');
  const { orderId } = await waitingOrder('Bo', 10, roomy);
  assert.equal(openSessionsOf(orderId).length, 1);
  assert.equal((await paymentOf(orderId, roomy)).sessionKeyGeneration, 1);
});

test('a 500 Stripe saved after making the refund: that refund is found and recorded, exactly one', async () => {
  emulator.failNext('POST', '/v1/refunds', 1, 'after');
  const { orderId } = await paidAfterCancel('Cy');
  const payment = await waitFor(async () => {
    const p = await paymentOf(orderId);
    return p.status === 'REFUNDED' ? p : null;
  }, 'the refund recorded');
  const refunds = emulator.refunds().filter((r) => r.payment_intent === payment.paymentIntentId);
  assert.equal(refunds.length, 1);
  assert.equal(payment.refundId, refunds[0]!.id);
  assert.ok((await paymentEvents(orderId)).includes('payment.refunded'));
});

test('a pending refund is REFUND_PENDING until Stripe says it succeeded, then REFUNDED with payment.refunded', async () => {
  emulator.refundMode('pending-then-succeeded', 500);
  try {
    const { orderId } = await paidAfterCancel('Di');
    await waitFor(async () => (await paymentOf(orderId)).status === 'REFUND_PENDING', 'pending');
    assert.ok(!(await paymentEvents(orderId)).includes('payment.refunded'), 'not refunded while pending');
    await waitFor(async () => (await paymentOf(orderId)).status === 'REFUNDED', 'refunded');
    assert.equal((await paymentEvents(orderId)).filter((t) => t === 'payment.refunded').length, 1);
  } finally {
    emulator.refundMode('succeeded');
  }
});

test('a failed refund is REFUND_FAILED, publishes payment.refund_failed and is counted for an operator', async () => {
  emulator.refundMode('pending-then-failed', 300);
  try {
    const { orderId } = await paidAfterCancel('Ed');
    await waitFor(async () => (await paymentOf(orderId)).status === 'REFUND_FAILED', 'refund failed');
    assert.ok((await paymentEvents(orderId)).includes('payment.refund_failed'));
    const metrics = await sys.subgraphs.payment.runtime.metrics.registry.metrics();
    assert.match(metrics, /payment_refund_failures_total\{[^}]*\} [1-9]/);
    assert.ok((await paymentOf(orderId)).refundId, 'the failed refund is on record');
  } finally {
    emulator.refundMode('succeeded');
  }
});

test('a bank debit completes unpaid, outlives the payment window, and becomes PAID when it settles', async () => {
  const { shopper, orderId, sessionId } = await waitingOrder('Flo');
  await emulator.payByBankDebit(sessionId, { outcome: 'succeeded', delayMs: 60_000 });
  await waitFor(async () => (await paymentOf(orderId)).status === 'PROCESSING', 'processing');
  // Well past PAYMENT_WINDOW + PAYMENT_GRACE (3 s) with the sweeper running every 200 ms.
  await new Promise((r) => setTimeout(r, 4000));
  const waiting = await shopper.order(orderId);
  assert.equal(waiting!.status, 'WAITING_FOR_PAYMENT');
  assert.equal(waiting!.payment.status, 'PROCESSING');
  await emulator.settleBankDebit(sessionId);
  const done = await shopper.waitForStatus(orderId, 'FINISHED');
  assert.equal(done.payment.status, 'SUCCEEDED');
});

test('a bank debit that fails cancels the order and releases its stock', async () => {
  const { shopper, orderId, sessionId, product } = await waitingOrder('Gus', 4);
  await emulator.payByBankDebit(sessionId, { outcome: 'failed', delayMs: 60_000 });
  await waitFor(async () => (await paymentOf(orderId)).status === 'PROCESSING', 'processing');
  await emulator.settleBankDebit(sessionId);
  const cancelled = await shopper.waitForStatus(orderId, 'CANCELLED');
  assert.equal(cancelled.payment.status, 'FAILED');
  await waitFor(async () => (await stockOf(sys, product)).available === 4, 'stock released');
});
