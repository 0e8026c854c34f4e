// placeOrder's rules: validation before anything is held, idempotency per customer, the undo of
// the try step, cancellation rights, and the sweeper that covers a crash between try and confirm.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { internalCallHeaders } from '../../../lib/platform/http/internal-call.js';
import { fails, waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem({ HOLD_TTL: '400ms', SWEEP_INTERVAL: '100ms' });
const admin: Shopper = await logInAdmin(sys);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;

test('bad input gets its code and holds nothing', async () => {
  const product = await createDigitalProduct(admin, 10);
  const eve = await signUp(sys, 'Eve');
  const url = sys.gateway.url;
  const bad = async (items: unknown[], code = 'BAD_USER_INPUT', token: string | null = eve.token) =>
    fails(url, code, PLACE, { input: { items } }, token ?? undefined);
  await bad([{ productId: product, quantity: 0 }]);
  await bad([{ productId: product, quantity: -2 }]);
  await bad([{ productId: product, quantity: 1001 }]);
  await bad([]);
  await bad(Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })));
  const unknown = randomUUID();
  const err = await bad([
    { productId: product, quantity: 1 },
    { productId: unknown, quantity: 1 },
  ]);
  assert.match(err.message, new RegExp(unknown));
  await bad([{ productId: product, quantity: 1 }], 'UNAUTHENTICATED', null);
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 10, available: 10 });
  assert.deepEqual((await eve.query(`{ me { orders { id } } }`)).me.orders, []);
});

test('duplicate product ids are merged into one line', async () => {
  const product = await createDigitalProduct(admin, 10, 500);
  const fay = await signUp(sys, 'Fay');
  const order = await fay.placeOrder({
    items: [
      { productId: product, quantity: 2 },
      { productId: product, quantity: 3 },
    ],
  });
  assert.equal(order.items.length, 1);
  assert.equal(order.items[0].quantity, 5);
  assert.equal(order.subtotal.amount, 2500);
});

test('idempotency keys are per customer, and racing calls with one key hold once', async () => {
  const product = await createDigitalProduct(admin, 20);
  const gus = await signUp(sys, 'Gus');
  const hal = await signUp(sys, 'Hal');
  const input = { items: [{ productId: product, quantity: 2 }], idempotencyKey: 'checkout-42' };
  const racing = await Promise.all(Array.from({ length: 5 }, () => gus.raw(PLACE, { input })));
  const ids = new Set(racing.map((r) => r.data?.placeOrder?.id));
  assert.equal(ids.size, 1, JSON.stringify(racing));
  const again = await gus.placeOrder(input);
  assert.ok(ids.has(again.id));
  const other = await hal.placeOrder(input);
  assert.ok(!ids.has(other.id), 'another customer using the same key gets an order of their own');
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 20, available: 16 });
});

test('only the owner or an admin may cancel; a paid or cancelled order cannot be', async () => {
  const product = await createDigitalProduct(admin, 10);
  const ivy = await signUp(sys, 'Ivy');
  const jon = await signUp(sys, 'Jon');
  const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { status cancellationReason } }`;
  const a = await ivy.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const stranger = await fails(sys.gateway.url, 'NOT_FOUND', CANCEL, { id: a.id }, jon.token);
  const unknown = await fails(sys.gateway.url, 'NOT_FOUND', CANCEL, { id: randomUUID() }, jon.token);
  assert.equal(stranger.message, unknown.message, 'someone else’s order reads as one that does not exist');
  assert.equal((await jon.query(`query($id: ID!) { order(id: $id) { id } }`, { id: a.id })).order, null);
  const byAdmin = await admin.query(CANCEL, { id: a.id });
  assert.equal(byAdmin.cancelOrder.status, 'CANCELLED');
  await fails(sys.gateway.url, 'CONFLICT', CANCEL, { id: a.id }, ivy.token);

  const b = await ivy.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  await ivy.pay(b.id);
  await ivy.waitForStatus(b.id, 'PAID').catch(() => ivy.waitForStatus(b.id, 'FINISHED'));
  await fails(sys.gateway.url, 'CONFLICT', CANCEL, { id: b.id }, ivy.token);
});

test('a crash between try and confirm leaves holds that the sweeper releases after HOLD_TTL', async () => {
  const product = await createDigitalProduct(admin, 10);
  const kim = await signUp(sys, 'Kim');
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 700, currency: "USD") { id } }`, { id: kim.id });
  // The try step as the order subgraph makes it, then no confirm: as if it crashed right there.
  const orderId = randomUUID();
  const signedPost = async (audience: 'inventory' | 'account', url: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return fetch(url, { method: 'POST', headers: await internalCallHeaders(sys.config.SERVICE_TOKEN, { audience, method: 'POST', url, body }), body });
  };
  const held = await signedPost('inventory', `${sys.subgraphs.inventory.url}/internal/holds`, { orderId, items: [{ productId: product, quantity: 4 }] });
  assert.equal(held.status, 200);
  const benefits = await signedPost('account', `${sys.subgraphs.account.url}/internal/benefits`, {
    orderId,
    customerId: kim.id,
    couponCode: null,
    useStoreCredit: true,
    subtotal: 4000,
    currency: 'USD',
  });
  assert.deepEqual(await benefits.json(), { discount: 0, storeCreditApplied: 700, couponCode: null });
  assert.equal((await stockOf(sys, product)).available, 6);
  assert.equal((await kim.query(`{ me { storeCredit { amount } } }`)).me.storeCredit.amount, 0);
  await waitFor(async () => (await stockOf(sys, product)).available === 10, 'the sweeper to release the stock', 10_000);
  await waitFor(async () => (await kim.query(`{ me { storeCredit { amount } } }`)).me.storeCredit.amount === 700, 'the sweeper to release the credit', 10_000);
});

test('internal endpoints refuse calls without a signature', async () => {
  const res = await fetch(`${sys.subgraphs.inventory.url}/internal/holds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 401);
  const url = `${sys.gateway.url}/internal/holds`;
  const res2 = await fetch(url, {
    method: 'POST',
    headers: await internalCallHeaders(sys.config.SERVICE_TOKEN, { audience: 'inventory', method: 'POST', url }),
  });
  assert.equal(res2.status, 404, 'the gateway does not expose internal endpoints');
});

test('after a failed attempt, the same idempotency key can be used again', async () => {
  const product = await createDigitalProduct(admin, 5);
  const lee = await signUp(sys, 'Lee');
  const input = { items: [{ productId: product, quantity: 2 }], idempotencyKey: 'retry-me' };
  await fails(sys.gateway.url, 'COUPON_INVALID', PLACE, { input: { ...input, couponCode: 'NO-SUCH-COUPON' } }, lee.token);
  assert.equal((await stockOf(sys, product)).available, 5, 'the failed attempt released its holds');
  const order = await lee.placeOrder(input);
  assert.equal(order.status, 'PENDING');
  assert.equal((await stockOf(sys, product)).available, 3);
});
