// Manual fulfilment (FULFILMENT_MODE=manual): a paid order waits for an admin's markShipped, which
// ships it once with the carrier and tracking number given and moves it to FINISHED through
// fulfilment.shipped, the worker's own path.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { fails, ok, waitFor } from '../../../lib/testkit/graphql.js';
import { sleep } from '../../../lib/testkit/broker.js';
import { subscribeOver, within } from '../../../lib/testkit/live.js';
import { outboxEvents } from '../../../lib/testkit/outbox.js';
import { createProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

// No shipping delay: in auto mode the worker would ship a paid order within a few hundred ms.
const sys: System = await testSystem({ FULFILMENT_MODE: 'manual', FULFILMENT_DELAY_MS: '0' });
const admin: Shopper = await logInAdmin(sys);
const ann: Shopper = await signUp(sys, 'Ann');
const product = await createProduct(admin, 20, 2000);

const ADDRESS = { name: 'Ann Example', line1: '1 Harbour Street', city: 'Bristol', postalCode: 'BS1 4RN', country: 'GB' };
const MARK = `mutation($orderId: ID!, $carrier: String!, $trackingNumber: String!) {
  markShipped(orderId: $orderId, carrier: $carrier, trackingNumber: $trackingNumber) { id status shipment { carrier trackingNumber } } }`;
const SHIPMENT = `query($id: ID!) { order(id: $id) { status statusHistory { status } shipment { address { city } carrier trackingNumber shippedAt } } }`;

async function paidOrder(): Promise<string> {
  const order = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }], email: ann.email, shippingAddress: ADDRESS, shippingMethod: 'STANDARD' });
  await ann.pay(order.id);
  await ann.waitForStatus(order.id, 'PAID');
  // Inventory queues the shipment when order.paid reaches it, a moment after the order is PAID.
  await waitFor(async () => (await ann.query(SHIPMENT, { id: order.id })).order.shipment, `the shipment of ${order.id} to be queued`);
  return order.id;
}

/** Tracking numbers are unique per parcel: each order gets its own. */
const trackingFor = (orderId: string) => `RM ${orderId.slice(0, 8)} GB`;
const mark = (who: Shopper, orderId: string) => ok(sys.gateway.url, MARK, { orderId, carrier: 'Royal Mail', trackingNumber: trackingFor(orderId) }, who.token);

test('a paid order stays PAID until an admin marks it shipped; then it is FINISHED, once', async () => {
  const orderId = await paidOrder();
  await sleep(600);
  const waiting = (await ann.query(SHIPMENT, { id: orderId })).order;
  assert.equal(waiting.status, 'PAID', 'the worker does not ship in manual mode');
  assert.deepEqual(waiting.shipment, { address: { city: 'Bristol' }, carrier: null, trackingNumber: null, shippedAt: null });

  const shipped = (await mark(admin, orderId)).markShipped;
  assert.equal(shipped.id, orderId);
  assert.deepEqual(shipped.shipment, { carrier: 'Royal Mail', trackingNumber: trackingFor(orderId) });

  const finished = await ann.waitForStatus(orderId, 'FINISHED');
  assert.deepEqual(
    finished.statusHistory.map((h: { status: string }) => h.status),
    ['PENDING', 'WAITING_FOR_PAYMENT', 'PAID', 'FINISHED'],
  );
  const seen = (await ann.query(SHIPMENT, { id: orderId })).order.shipment;
  assert.equal(seen.carrier, 'Royal Mail');
  assert.equal(seen.trackingNumber, trackingFor(orderId));
  assert.ok(Date.parse(seen.shippedAt) > Date.now() - 60_000, 'shippedAt is when it was marked');

  await fails(sys.gateway.url, 'CONFLICT', MARK, { orderId, carrier: 'DHL', trackingNumber: 'X1' }, admin.token);
  const events = await outboxEvents(sys.subgraphs.inventory.runtime.db, { type: 'fulfilment.shipped', aggregateId: orderId });
  assert.equal(events.length, 1, 'shipped exactly once');
  assert.equal((await ann.query(SHIPMENT, { id: orderId })).order.shipment.carrier, 'Royal Mail', 'the second call changed nothing');
});

test('only admins mark orders shipped; carrier and tracking number are checked, and a tracking number is used once', async () => {
  const orderId = await paidOrder();
  await fails(sys.gateway.url, 'FORBIDDEN', MARK, { orderId, carrier: 'DHL', trackingNumber: 'X1' }, ann.token);
  await fails(sys.gateway.url, 'UNAUTHENTICATED', MARK, { orderId, carrier: 'DHL', trackingNumber: 'X1' });
  await fails(sys.gateway.url, 'BAD_USER_INPUT', MARK, { orderId, carrier: '   ', trackingNumber: 'X1' }, admin.token);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', MARK, { orderId, carrier: 'DHL', trackingNumber: '' }, admin.token);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', MARK, { orderId, carrier: 'x'.repeat(65), trackingNumber: 'X1' }, admin.token);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', MARK, { orderId, carrier: 'DHL', trackingNumber: 'X'.repeat(65) }, admin.token);
  const other = await paidOrder();
  await mark(admin, other);
  await fails(sys.gateway.url, 'CONFLICT', MARK, { orderId, carrier: 'Royal Mail', trackingNumber: trackingFor(other) }, admin.token);
  await sleep(300);
  assert.equal((await ann.order(orderId))!.status, 'PAID', 'none of those shipped it');
});

test('an unknown order is NOT_FOUND; an unpaid or cancelled one is a CONFLICT', async () => {
  await fails(sys.gateway.url, 'NOT_FOUND', MARK, { orderId: randomUUID(), carrier: 'DHL', trackingNumber: 'X1' }, admin.token);
  const unpaid = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }], email: ann.email, shippingAddress: ADDRESS, shippingMethod: 'STANDARD' });
  await fails(sys.gateway.url, 'CONFLICT', MARK, { orderId: unpaid.id, carrier: 'DHL', trackingNumber: 'X1' }, admin.token);
  await ann.query(`mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id: unpaid.id });
  await ann.waitForStatus(unpaid.id, 'CANCELLED');
  await fails(sys.gateway.url, 'CONFLICT', MARK, { orderId: unpaid.id, carrier: 'DHL', trackingNumber: 'X1' }, admin.token);
});

test('a subscriber following the order through the gateway sees PAID, then FINISHED once it is marked shipped', async (t) => {
  const orderId = await paidOrder();
  const follow = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status } }`;
  const rec = subscribeOver('graphql-ws', { url: sys.gateway.url, token: ann.token, query: follow, variables: { id: orderId } });
  t.after(rec.stop);
  const statuses = () => rec.results.map((r) => r.data.orderStatusChanged.status);
  await waitFor(() => statuses().includes('PAID'), 'the current status, PAID, pushed');
  await mark(admin, orderId);
  assert.equal(await within(rec.ended, 20_000, 'completion at FINISHED'), 'complete');
  assert.deepEqual(statuses(), ['PAID', 'FINISHED']);
});
