// order.created arriving after its holds were swept: inventory takes the stock again, and when it
// can't, publishes inventory.hold_lost and the order is cancelled with the reason.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { newEvent, type EventEnvelope } from '../../../lib/contracts/events.js';
import { OutboxEntity } from '../../../lib/platform/messaging/outbox-tables.js';
import { internalCallHeaders } from '../../../lib/platform/http/internal-call.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { StockHoldEntity } from '../src/persistence/entities.js';
import { confirmStock } from '../src/use-cases/confirm-stock.js';

const sys: System = await testSystem({ HOLD_TTL: '300ms', SWEEP_INTERVAL: '100ms' });
const admin: Shopper = await logInAdmin(sys);
const inventory = sys.subgraphs.inventory.runtime;
/** Test products ship, so every order here needs somewhere to send them and a way to. */
const SHIPPING = {
  shippingAddress: { name: 'Ann Example', line1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'US' },
  shippingMethod: 'STANDARD',
};

async function holdThenLetExpire(productId: string, quantity: number) {
  const orderId = randomUUID();
  const url = `${sys.subgraphs.inventory.url}/internal/holds`;
  const body = JSON.stringify({ orderId, items: [{ productId, quantity }] });
  const headers = await internalCallHeaders(sys.config.SERVICE_TOKEN, { audience: 'inventory', method: 'POST', url, body });
  const res = await fetch(url, { method: 'POST', headers, body });
  assert.equal(res.status, 200);
  await waitFor(async () => (await inventory.db.manager.findOneBy(StockHoldEntity, { orderId }))?.status === 'EXPIRED', 'the hold to expire');
  return orderId;
}

function orderCreated(orderId: string, productId: string, quantity: number): EventEnvelope<'order.created'> {
  return {
    id: randomUUID(),
    type: 'order.created',
    occurredAt: new Date().toISOString(),
    aggregateId: orderId,
    sequence: 1,
    traceparent: null,
    data: {
      orderId,
      customerId: randomUUID(),
      items: [{ productId, name: 'x', quantity, unitPrice: 100, requiresShipping: true }],
      subtotal: 100 * quantity,
      discount: 0,
      storeCreditApplied: 0,
      amountDue: 100 * quantity,
      currency: 'USD',
      couponCode: null,
      placedAt: new Date().toISOString(),
      email: null,
      shippingAddress: null,
      billingAddress: null,
      shippingMethod: null,
      shipping: 0,
      tax: 0,
      taxIncluded: false,
    },
  };
}

test('a swept hold is taken again when the stock is still there', async () => {
  const product = await createProduct(admin, 5);
  const orderId = await holdThenLetExpire(product, 3);
  assert.equal((await stockOf(sys, product)).available, 5);
  const outcome = await inventory.transact((tx) => confirmStock(tx, orderCreated(orderId, product, 3).data));
  assert.equal(outcome, 'applied');
  assert.equal((await inventory.db.manager.findOneByOrFail(StockHoldEntity, { orderId })).status, 'CONFIRMED');
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 5, available: 2 });
});

test('a swept hold whose stock is gone publishes inventory.hold_lost, and nothing is oversold', async () => {
  const product = await createProduct(admin, 2);
  const orderId = await holdThenLetExpire(product, 2);
  const buyer = await signUp(sys, 'Quick');
  await buyer.placeOrder({ items: [{ productId: product, quantity: 2 }], ...SHIPPING }); // takes the released units
  const outcome = await inventory.transact((tx) => confirmStock(tx, orderCreated(orderId, product, 2).data));
  assert.equal(outcome, 'applied');
  const lost = await inventory.db.manager.findOneByOrFail(OutboxEntity, { type: 'inventory.hold_lost', aggregateId: orderId });
  assert.deepEqual(JSON.parse(lost.payload).productIds, [product]);
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 2, available: 0 });
});

test('inventory.hold_lost cancels the order with the reason, and its holds come back', async () => {
  const product = await createProduct(admin, 4);
  const ann = await signUp(sys, 'Ann');
  const order = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }], ...SHIPPING });
  await inventory.transact((tx) =>
    tx.enqueue(newEvent('inventory.hold_lost', order.id, { orderId: order.id, productIds: [product], reason: 'stock no longer available' })),
  );
  inventory.relay.nudge();
  const cancelled = await ann.waitForStatus(order.id, 'CANCELLED');
  assert.equal(cancelled.cancellationReason, 'stock no longer available');
  await waitFor(async () => (await stockOf(sys, product)).available === 4, 'the stock to come back');
});
