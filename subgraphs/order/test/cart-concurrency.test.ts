// Carts under races: one cart checked out twice at once makes one order; a cart whose last units
// another order takes gets OUT_OF_STOCK with nothing held; 200 carts for 50 units never oversell.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, untilCartsKnow, visitor, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

// Many guests with one email each would be many customers; here the open-order limit is not under test.
const sys: System = await testSystem({ MAX_OPEN_ORDERS: '1000' });
const admin: Shopper = await logInAdmin(sys);
const CREATE = `mutation($input: CreateCartInput!) { createCart(input: $input) { id } }`;
const CHECKOUT = `mutation($id: ID!) { checkoutCart(cartId: $id) { orderToken order { id status amountDue { amount } } } }`;

async function guestCart(productId: string, quantity: number, email = 'racer@example.com'): Promise<string> {
  return (await visitor(sys).query(CREATE, { input: { lines: [{ productId, quantity }], email } })).createCart.id;
}

test('two concurrent checkouts of one cart make one order, holding its stock once', async () => {
  const product = await createDigitalProduct(admin, 10, 1000);
  await untilCartsKnow(sys, [product]);
  const id = await guestCart(product, 3);
  const results = await Promise.all([1, 2, 3].map(() => visitor(sys).raw(CHECKOUT, { id })));
  const orders = results.map((r) => r.data?.checkoutCart?.order?.id);
  assert.ok(orders.every(Boolean), JSON.stringify(results.find((r) => r.errors)));
  assert.equal(new Set(orders).size, 1, 'one order');
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 10, available: 7 });
  const cart = await visitor(sys).query(`query($id: ID!) { cart(id: $id) { order { id } } }`, { id });
  assert.equal(cart.cart.order.id, orders[0]);
});

test('a cart whose last units another order took gets OUT_OF_STOCK, holds nothing, and stays open', async () => {
  const product = await createDigitalProduct(admin, 2, 1000);
  await untilCartsKnow(sys, [product]);
  const id = await guestCart(product, 2);
  const ann = await signUp(sys, 'Ann');
  await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const res = await visitor(sys).raw(CHECKOUT, { id });
  assert.equal(res.errors?.[0]?.extensions?.code, 'OUT_OF_STOCK', JSON.stringify(res));
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 2, available: 1 }, "only Ann's unit is held");
  const cart = (await visitor(sys).query(`query($id: ID!) { cart(id: $id) { order { id } lines { quantity } } }`, { id })).cart;
  assert.equal(cart.order, null);
  // Fewer units, and the same cart checks out.
  await visitor(sys).query(`mutation($id: ID!, $l: [OrderItemInput!]!) { setCartLines(cartId: $id, lines: $l) { id } }`, {
    id,
    l: [{ productId: product, quantity: 1 }],
  });
  assert.equal((await visitor(sys).query(CHECKOUT, { id })).checkoutCart.order.status, 'PENDING');
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 2, available: 0 });
});

test('200 carts checked out at once for 50 units: exactly 50 orders, 150 OUT_OF_STOCK, stock conserved', async () => {
  const product = await createDigitalProduct(admin, 50);
  await untilCartsKnow(sys, [product]);
  const carts = await Promise.all(Array.from({ length: 200 }, (_, i) => guestCart(product, 1, `racer${i % 20}@example.com`)));
  const results = await Promise.all(carts.map((id) => visitor(sys).raw(CHECKOUT, { id })));
  const won = results.filter((r) => r.data?.checkoutCart);
  const lost = results.filter((r) => r.errors?.[0]?.extensions?.code === 'OUT_OF_STOCK');
  assert.equal(won.length, 50, JSON.stringify(results.find((r) => r.errors && r.errors[0]?.extensions?.code !== 'OUT_OF_STOCK')));
  assert.equal(lost.length, 150);
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 50, available: 0 });
});

test('a change to the cart racing its checkout never makes an order other than the cart the order shows', async () => {
  const product = await createDigitalProduct(admin, 100, 1000);
  await untilCartsKnow(sys, [product]);
  const id = await guestCart(product, 1);
  const SET = `mutation($id: ID!, $l: [OrderItemInput!]!) { setCartLines(cartId: $id, lines: $l) { id } }`;
  const [checkout] = await Promise.all([
    visitor(sys).raw(CHECKOUT, { id }),
    ...[2, 3, 4].map((quantity) => visitor(sys).raw(SET, { id, l: [{ productId: product, quantity }] })),
  ]);
  const held = 100 - (await stockOf(sys, product)).available;
  if (checkout!.data?.checkoutCart) {
    // The order is exactly the cart's lines at the moment it was checked out, and only its units are held.
    const order = await visitor(sys, checkout!.data.checkoutCart.orderToken).query(`query($id: ID!) { order(id: $id) { items { quantity } } }`, {
      id: checkout!.data.checkoutCart.order.id,
    });
    assert.equal(held, order.order.items[0].quantity);
  } else {
    assert.equal(checkout!.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(checkout));
    assert.equal(held, 0, 'a checkout that lost the race holds nothing');
  }
});
