// Hoarding and reused keys: a customer may hold stock with at most MAX_OPEN_ORDERS unpaid orders,
// and an idempotency key names one checkout input only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { fails } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { status } }`;
const MY_ORDERS = `{ me { orders { id status } } }`;

test('the fourth open order is LIMIT_EXCEEDED and holds nothing; a cancelled or paid one frees a place', async () => {
  assert.equal(sys.config.MAX_OPEN_ORDERS, 3, 'the default');
  const product = await createDigitalProduct(admin, 100);
  const mia = await signUp(sys, 'Mia');
  const one = { items: [{ productId: product, quantity: 5 }] };
  const placed = [];
  for (let i = 0; i < 3; i++) placed.push(await mia.placeOrder(one));
  assert.equal((await stockOf(sys, product)).available, 85);

  const refused = await fails(sys.gateway.url, 'LIMIT_EXCEEDED', PLACE, { input: one }, mia.token);
  assert.match(refused.message, /at most 3/);
  assert.equal((await stockOf(sys, product)).available, 85, 'the refused order held nothing');
  assert.equal((await mia.query(MY_ORDERS)).me.orders.length, 3, 'and wrote nothing');

  await mia.query(CANCEL, { id: placed[0]!.id });
  const fourth = await mia.placeOrder(one);
  await fails(sys.gateway.url, 'LIMIT_EXCEEDED', PLACE, { input: one }, mia.token);
  await mia.pay(fourth.id);
  await mia.waitForStatus(fourth.id, 'FINISHED');
  await mia.placeOrder(one);
  assert.equal((await stockOf(sys, product)).available, 100 - 5 * 4, 'three open orders and one shipped hold or took 5 each');

  // Another customer is not affected by Mia's orders.
  const ned = await signUp(sys, 'Ned');
  await ned.placeOrder(one);
});

test('concurrent checkouts of one customer cannot pass the limit together', async () => {
  const product = await createDigitalProduct(admin, 100);
  const ola = await signUp(sys, 'Ola');
  const results = await Promise.all(Array.from({ length: 8 }, () => ola.raw(PLACE, { input: { items: [{ productId: product, quantity: 1 }] } })));
  const placed = results.filter((r) => r.data?.placeOrder?.id);
  const refused = results.filter((r) => r.errors?.[0]?.extensions?.code === 'LIMIT_EXCEEDED');
  assert.equal(placed.length, 3, JSON.stringify(results));
  assert.equal(refused.length, 5, JSON.stringify(results));
  assert.equal((await stockOf(sys, product)).available, 97, 'only the placed orders hold stock');
});

test('an idempotency key reused with other input is a CONFLICT that holds nothing; the same input returns the same order', async () => {
  const [mug, pen] = [await createDigitalProduct(admin, 20), await createDigitalProduct(admin, 20)];
  const pia = await signUp(sys, 'Pia');
  const key = 'basket-1';
  const first = await pia.placeOrder({
    items: [
      { productId: mug, quantity: 1 },
      { productId: pen, quantity: 2 },
    ],
    idempotencyKey: key,
  });
  const same = await pia.placeOrder({
    items: [
      { productId: pen, quantity: 1 },
      { productId: mug, quantity: 1 },
      { productId: pen, quantity: 1 },
    ],
    idempotencyKey: key,
  });
  assert.equal(same.id, first.id, 'the same basket written differently is the same input');
  for (const other of [
    { items: [{ productId: mug, quantity: 1 }] },
    {
      items: [
        { productId: mug, quantity: 2 },
        { productId: pen, quantity: 2 },
      ],
    },
    {
      items: [
        { productId: mug, quantity: 1 },
        { productId: pen, quantity: 2 },
      ],
      useStoreCredit: true,
    },
  ]) {
    const err = await fails(sys.gateway.url, 'CONFLICT', PLACE, { input: { ...other, idempotencyKey: key } }, pia.token);
    assert.match(err.message, /idempotencyKey/);
  }
  assert.deepEqual([(await stockOf(sys, mug)).available, (await stockOf(sys, pen)).available], [19, 18], 'only the first order holds stock');
  assert.equal((await pia.query(MY_ORDERS)).me.orders.length, 1);
});
