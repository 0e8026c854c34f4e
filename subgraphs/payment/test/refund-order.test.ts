// Admin refunds through Stripe (the emulator): part or all of a paid order, never more than was
// paid even when requests race, recorded as refund rows that follow Stripe's refund events, and
// never a cancellation of the order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { outboxEvents } from '../../../lib/testkit/outbox.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

// Digital orders ship at once after payment: every paid order here becomes FINISHED.
const sys: System = await testSystem({ FULFILMENT_DELAY_MS: '0' });
const admin: Shopper = await logInAdmin(sys);
const emulator = sys.emulator!;

const PAYMENT = `payment { status amount { amount currency } amountRefunded { amount currency } refunds { id amount { amount currency } status reason createdAt } }`;
const REFUND = `mutation($orderId: ID!, $amount: Int, $reason: String) {
  refundOrder(orderId: $orderId, amount: $amount, reason: $reason) { status amountRefunded { amount } refunds { amount { amount } status reason } }
}`;

async function finishedOrder(name: string, price = 1500) {
  const product = await createDigitalProduct(admin, 10, price);
  const shopper = await signUp(sys, name);
  const placed = await shopper.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const waiting = await shopper.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  await emulator.pay(waiting.payment.stripeCheckoutSessionId);
  await shopper.waitForStatus(placed.id, 'FINISHED');
  return { shopper, orderId: placed.id as string };
}

const orderOf = async (orderId: string) => (await admin.query(`query($id: ID!) { order(id: $id) { status ${PAYMENT} } }`, { id: orderId })).order;
const paymentIntentOf = (orderId: string) => emulator.sessions().find((s) => s.metadata?.orderId === orderId)!.payment_intent as string;
const stripeRefundsOf = (orderId: string) => emulator.refunds().filter((r) => r.payment_intent === paymentIntentOf(orderId));

test('two partial refunds racing past what was paid: one succeeds, the other is BAD_USER_INPUT, and Stripe holds exactly the one', async () => {
  const { orderId } = await finishedOrder('Ada');
  const answers = await Promise.all([1000, 1000].map((amount) => admin.raw(REFUND, { orderId, amount, reason: 'damaged' })));
  const codes = answers.map((a) => a.errors?.[0]?.extensions?.code ?? 'ok').sort();
  assert.deepEqual(codes, ['BAD_USER_INPUT', 'ok']);
  const order = await orderOf(orderId);
  assert.equal(order.status, 'FINISHED', 'a partial refund leaves the order as it was');
  assert.equal(order.payment.status, 'SUCCEEDED');
  assert.equal(order.payment.amountRefunded.amount, 1000);
  assert.deepEqual(
    order.payment.refunds.map((r: any) => [r.amount.amount, r.status, r.reason]),
    [[1000, 'SUCCEEDED', 'damaged']],
  );
  const atStripe = stripeRefundsOf(orderId);
  assert.deepEqual(
    atStripe.map((r) => [r.amount, r.status]),
    [[1000, 'succeeded']],
  );
  // What is left may still be refunded, and not a cent more.
  const tooMuch = await admin.raw(REFUND, { orderId, amount: 501 });
  assert.equal(tooMuch.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(tooMuch.errors?.[0]?.extensions?.refundable, 500);
});

test('a full refund of a FINISHED order is recorded (Payment REFUNDED, payment.refunded), not a cancellation', async () => {
  const { orderId, shopper } = await finishedOrder('Bo');
  await admin.query(REFUND, { orderId, amount: 400 });
  const all = (await admin.query(REFUND, { orderId })).refundOrder;
  assert.equal(all.status, 'REFUNDED');
  assert.equal(all.amountRefunded.amount, 1500);
  assert.deepEqual(
    all.refunds.map((r: any) => [r.amount.amount, r.status]),
    [
      [400, 'SUCCEEDED'],
      [1100, 'SUCCEEDED'],
    ],
  );
  assert.equal((await shopper.order(orderId))!.status, 'FINISHED');
  assert.deepEqual(
    stripeRefundsOf(orderId).map((r) => r.amount),
    [400, 1100],
  );
  const events = await outboxEvents(sys.subgraphs.payment.runtime.db, { aggregateId: orderId });
  assert.deepEqual(
    events.filter((e) => e.type === 'payment.refunded').map((e) => (e.data as { amount: number }).amount),
    [400, 1100],
  );
  const orderEvents = await outboxEvents(sys.subgraphs.order.runtime.db, { aggregateId: orderId });
  assert.ok(!orderEvents.some((e) => e.type === 'order.cancelled'), 'no cancellation');
  const again = await admin.raw(REFUND, { orderId, amount: 1 });
  assert.equal(again.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});

test('a refund Stripe holds pending follows its webhooks; a failed one frees its amount to be refunded again', async () => {
  const { orderId } = await finishedOrder('Cy');
  emulator.refundMode('pending-then-failed', 300);
  try {
    const pending = (await admin.query(REFUND, { orderId, amount: 700 })).refundOrder;
    assert.equal(pending.refunds[0].status, 'PENDING');
    assert.equal(pending.amountRefunded.amount, 0);
    const failed = await waitFor(async () => {
      const o = await orderOf(orderId);
      return o.payment.refunds[0].status === 'FAILED' ? o : null;
    }, 'the refund failed');
    assert.equal(failed.payment.status, 'SUCCEEDED');
    const events = await outboxEvents(sys.subgraphs.payment.runtime.db, { aggregateId: orderId });
    assert.ok(events.some((e) => e.type === 'payment.refund_failed'));
    emulator.refundMode('pending-then-succeeded', 300);
    const whole = (await admin.query(REFUND, { orderId })).refundOrder;
    assert.equal(whole.refunds[1].amount.amount, 1500, 'the failed amount is refundable again');
    const done = await waitFor(async () => {
      const o = await orderOf(orderId);
      return o.payment.status === 'REFUNDED' ? o : null;
    }, 'refunded');
    assert.equal(done.payment.amountRefunded.amount, 1500);
    assert.equal(done.status, 'FINISHED');
  } finally {
    emulator.refundMode('succeeded');
  }
});

test('refundOrder is for admins only, and an amount must be a positive whole number', async () => {
  const { orderId, shopper } = await finishedOrder('Di');
  const denied = await shopper.raw(REFUND, { orderId, amount: 100 });
  assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  const zero = await admin.raw(REFUND, { orderId, amount: 0 });
  assert.equal(zero.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(stripeRefundsOf(orderId).length, 0);
});
