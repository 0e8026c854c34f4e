// The server-side cart through the gateway: a guest builds one (lines, email, address, method,
// coupon), sees the totals the order will have, and checks out with an order token; whose cart is
// whose; bad input that changes nothing; store credit for signed-in customers only; idle carts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { gql, waitFor, type GraphQLResponse } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, createProduct, logInAdmin, signUp, untilCartsKnow, visitor, type Shopper, type Visitor } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);

const CART = `id email couponCode useStoreCredit updatedAt
  lines { product { id } quantity unitPrice { amount currency } lineTotal { amount } }
  shippingAddress { name line1 city postalCode country } billingAddress { country }
  shippingMethod { code price { amount } } availableShippingMethods { code }
  totals { subtotal { amount } discount { amount } shipping { amount } tax { amount } storeCreditApplied { amount } total { amount currency } taxIncluded }`;
const CREATE = `mutation($input: CreateCartInput!) { createCart(input: $input) { ${CART} } }`;
const SET_LINES = `mutation($id: ID!, $lines: [OrderItemInput!]!) { setCartLines(cartId: $id, lines: $lines) { ${CART} } }`;
const SET_EMAIL = `mutation($id: ID!, $email: String!) { setCartEmail(cartId: $id, email: $email) { ${CART} } }`;
const SET_ADDRESS = `mutation($id: ID!, $a: AddressInput!) { setShippingAddress(cartId: $id, address: $a) { ${CART} } }`;
const SET_METHOD = `mutation($id: ID!, $code: String!) { setShippingMethod(cartId: $id, code: $code) { ${CART} } }`;
const APPLY = `mutation($id: ID!, $code: String!) { applyCoupon(cartId: $id, code: $code) { ${CART} } }`;
const CREDIT = `mutation($id: ID!, $use: Boolean!) { useStoreCredit(cartId: $id, use: $use) { ${CART} } }`;
const READ = `query($id: ID!) { cart(id: $id) { ${CART} } }`;
const CHECKOUT = `mutation($id: ID!) { checkoutCart(cartId: $id) { orderToken order { id status email amountDue { amount } tax { amount } shipping { amount }
  discount { amount } customer { id } shippingAddress { country } shippingMethod { code } } } }`;

const address = (country = 'US', extra: Record<string, unknown> = {}) => ({
  name: 'Gus Guest',
  line1: '1 Main St',
  city: 'Springfield',
  postalCode: '12345',
  country,
  ...extra,
});
const totalsOf = (cart: Record<string, any>) => Object.fromEntries(Object.entries(cart.totals).map(([k, v]) => [k, (v as { amount?: number })?.amount ?? v]));

async function method(price: number, extra: Record<string, unknown> = {}): Promise<string> {
  const code = `C-${randomBytes(4).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { code } }`, {
    input: { code, name: `Method ${code}`, price, currency: 'USD', ...extra },
  });
  return code;
}

async function coupon(percentOff: number, extra: Record<string, unknown> = {}): Promise<string> {
  const code = `CART${randomBytes(4).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($input: IssueCouponInput!) { issueCoupon(input: $input) { code } }`, { input: { code, percentOff, ...extra } });
  return code;
}

/** The call failed with this code (and a message matching `message`), and nothing else came back. */
async function refused(response: Promise<GraphQLResponse>, code: string, message?: RegExp) {
  const res = await response;
  const error = res.errors?.[0];
  assert.equal(error?.extensions?.code, code, JSON.stringify(res));
  if (message) assert.match(error!.message, message);
}

await admin.query(`mutation { setTaxRate(input: { country: "US", rate: 1000 }) { rate } }`);

test('a guest builds a cart, sees the order totals (10% on 1999 + 500 shipping: tax 250), and checks out with an order token', async () => {
  const mug = await createProduct(admin, 10, 1999);
  const tee = await createProduct(admin, 10, 2500);
  const shipping = await method(500, { countries: ['US', 'CA'], freeOver: 5000 });
  await untilCartsKnow(sys, [mug, tee]);
  const gus = visitor(sys);
  let cart = (
    await gus.query(CREATE, {
      input: {
        lines: [
          { productId: mug, quantity: 2 },
          { productId: tee, quantity: 1 },
        ],
      },
    })
  ).createCart;
  assert.equal(cart.lines.length, 2);
  cart = (
    await gus.query(SET_LINES, {
      id: cart.id,
      lines: [
        { productId: mug, quantity: 1 },
        { productId: tee, quantity: 0 },
      ],
    })
  ).setCartLines;
  assert.deepEqual(
    cart.lines.map((l: any) => [l.product.id, l.quantity, l.unitPrice.amount, l.lineTotal.amount]),
    [[mug, 1, 1999, 1999]],
  );
  assert.ok(
    cart.availableShippingMethods.some((m: any) => m.code === shipping),
    'all methods before an address',
  );
  cart = (await gus.query(SET_EMAIL, { id: cart.id, email: ' Gus@Example.com ' })).setCartEmail;
  cart = (await gus.query(SET_ADDRESS, { id: cart.id, a: address() })).setShippingAddress;
  cart = (await gus.query(SET_METHOD, { id: cart.id, code: shipping })).setShippingMethod;
  assert.equal(cart.email, 'gus@example.com');
  assert.deepEqual(totalsOf(cart), { subtotal: 1999, discount: 0, shipping: 500, tax: 250, storeCreditApplied: 0, total: 2749, taxIncluded: false });

  const code = await coupon(10);
  cart = await untilApplied(gus, cart.id, code);
  // 10% off 1999 is 199: tax 180 on the goods and 50 on shipping.
  assert.deepEqual(totalsOf(cart), { subtotal: 1999, discount: 199, shipping: 500, tax: 230, storeCreditApplied: 0, total: 2530, taxIncluded: false });

  const { orderToken, order } = (await gus.query(CHECKOUT, { id: cart.id })).checkoutCart;
  assert.equal(order.amountDue.amount, cart.totals.total.amount, 'the order charges what the cart showed');
  assert.deepEqual([order.tax.amount, order.shipping.amount, order.discount.amount, order.email, order.customer], [230, 500, 199, 'gus@example.com', null]);
  assert.equal(order.shippingMethod.code, shipping);

  const holder = visitor(sys, orderToken);
  assert.equal((await holder.query(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id })).order.id, order.id);
  assert.equal((await gus.query(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id })).order, null, 'the cart id alone reads no order');
  assert.equal((await holder.query(`{ me { id } }`)).me, null, 'an order token is nobody signed in');
  await refused(holder.raw(CREATE, { input: {} }), 'UNAUTHENTICATED');

  const again = (await gus.query(CHECKOUT, { id: cart.id })).checkoutCart;
  assert.equal(again.order.id, order.id, 'a second checkout returns the same order');
  await refused(gus.raw(SET_LINES, { id: cart.id, lines: [{ productId: mug, quantity: 3 }] }), 'CONFLICT');
  const other = (
    await (await signUp(sys, 'Olga')).placeOrder({ items: [{ productId: mug, quantity: 1 }], shippingAddress: address(), shippingMethod: shipping })
  ).id;
  assert.equal((await holder.query(`query($id: ID!) { order(id: $id) { id } }`, { id: other })).order, null, 'the token reads its one order only');
});

/** The coupon reaches the cart's read model a moment after issueCoupon. */
async function untilApplied(v: Visitor, cartId: string, code: string) {
  return waitFor(async () => (await v.raw(APPLY, { id: cartId, code })).data?.applyCoupon, `coupon ${code} in the cart`);
}

test('with STORE_PRICES_INCLUDE_TAX=true the cart shows the included tax, 227', async () => {
  const included = await testSystem({ STORE_PRICES_INCLUDE_TAX: 'true' });
  const boss = await logInAdmin(included);
  await boss.query(`mutation { setTaxRate(input: { country: "US", rate: 1000 }) { rate } }`);
  const mug = await createProduct(boss, 10, 1999);
  await untilCartsKnow(included, [mug]);
  const code = `INC-${randomBytes(3).toString('hex').toUpperCase()}`;
  await boss.query(`mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { code } }`, {
    input: { code, name: 'Flat', price: 500, currency: 'USD' },
  });
  const v = visitor(included);
  const { id } = (await v.query(CREATE, { input: { lines: [{ productId: mug, quantity: 1 }], email: 'ida@example.com' } })).createCart;
  await v.query(SET_ADDRESS, { id, a: address() });
  const cart = (await v.query(SET_METHOD, { id, code })).setShippingMethod;
  assert.deepEqual(totalsOf(cart), { subtotal: 1999, discount: 0, shipping: 500, tax: 227, storeCreditApplied: 0, total: 2499, taxIncluded: true });
  const { order } = (await v.query(CHECKOUT, { id })).checkoutCart;
  assert.equal(order.amountDue.amount, 2499);
});

test("someone else's cart reads as null and can't be changed or checked out", async () => {
  const cap = await createProduct(admin, 10, 1900);
  await untilCartsKnow(sys, [cap]);
  const ann = await signUp(sys, 'Ann');
  const bob = await signUp(sys, 'Bob');
  const { id } = (await ann.query(CREATE, { input: { lines: [{ productId: cap, quantity: 1 }] } })).createCart;
  assert.equal((await ann.query(READ, { id })).cart.id, id);
  assert.equal((await bob.query(READ, { id })).cart, null);
  assert.equal((await visitor(sys).query(READ, { id })).cart, null, 'the id alone no longer opens a customer cart');
  await refused(bob.raw(SET_LINES, { id, lines: [{ productId: cap, quantity: 5 }] }), 'NOT_FOUND');
  await refused(visitor(sys).raw(SET_EMAIL, { id, email: 'x@example.com' }), 'NOT_FOUND');
  await refused(bob.raw(CHECKOUT, { id }), 'NOT_FOUND');
  assert.equal((await ann.query(READ, { id })).cart.lines[0].quantity, 1, 'unchanged');
  assert.equal((await admin.query(READ, { id })).cart.id, id, 'admins see every cart');

  // An anonymous cart becomes the first signed-in customer's to change it.
  const anon = (await visitor(sys).query(CREATE, { input: { lines: [{ productId: cap, quantity: 1 }] } })).createCart.id;
  assert.equal((await bob.query(READ, { id: anon })).cart.id, anon, 'reading does not claim');
  await bob.query(SET_LINES, { id: anon, lines: [{ productId: cap, quantity: 2 }] });
  assert.equal((await visitor(sys).query(READ, { id: anon })).cart, null);
  assert.equal((await ann.query(READ, { id: anon })).cart, null);
});

test('bad addresses, unknown or wrong methods, and checkouts that lack something are BAD_USER_INPUT and change nothing', async () => {
  const hat = await createProduct(admin, 10, 1500);
  const canadaOnly = await method(700, { countries: ['CA'] });
  await untilCartsKnow(sys, [hat]);
  const v = visitor(sys);
  const { id } = (await v.query(CREATE, { input: { lines: [{ productId: hat, quantity: 1 }] } })).createCart;
  const before = (await v.query(READ, { id })).cart;
  for (const bad of [
    address('XX'),
    address('US', { line1: '   ' }),
    address('US', { city: 'x'.repeat(10_000) }),
    address('US', { name: 'n'.repeat(10_000) }),
  ]) {
    await refused(v.raw(SET_ADDRESS, { id, a: bad }), 'BAD_USER_INPUT');
  }
  await refused(v.raw(SET_EMAIL, { id, email: 'not-an-email' }), 'BAD_USER_INPUT');
  await refused(v.raw(SET_METHOD, { id, code: 'NO-SUCH-METHOD' }), 'BAD_USER_INPUT');
  await refused(v.raw(SET_LINES, { id, lines: [{ productId: hat, quantity: -1 }] }), 'BAD_USER_INPUT');
  await refused(v.raw(SET_LINES, { id, lines: [{ productId: 'x'.repeat(10_000), quantity: 1 }] }), 'BAD_USER_INPUT');
  await refused(v.raw(CHECKOUT, { id }), 'BAD_USER_INPUT', /email/);
  assert.deepEqual((await v.query(READ, { id })).cart, before, 'nothing changed');

  await v.query(SET_EMAIL, { id, email: 'gia@example.com' });
  await refused(v.raw(CHECKOUT, { id }), 'BAD_USER_INPUT', /shippingAddress/);
  await v.query(SET_ADDRESS, { id, a: address('US') });
  await refused(v.raw(SET_METHOD, { id, code: canadaOnly }), 'BAD_USER_INPUT', /does not ship to US/);
  const cart = (await v.query(READ, { id })).cart;
  assert.ok(!cart.availableShippingMethods.some((m: any) => m.code === canadaOnly), 'only methods for the address are offered');
  await refused(v.raw(CHECKOUT, { id }), 'BAD_USER_INPUT', /shippingMethod/);
  assert.equal((await v.query(READ, { id })).cart.shippingMethod, null);
  assert.deepEqual(await stockAvailable(hat), 10, 'no checkout held anything');
});

async function stockAvailable(productId: string): Promise<number> {
  return (await admin.query(`query($id: ID!) { product(id: $id) { available } }`, { id: productId })).product.available;
}

test('store credit: a signed-in cart shows it applied after tax; a guest must sign in for it', async () => {
  const book = await createDigitalProduct(admin, 10, 2000);
  await untilCartsKnow(sys, [book]);
  const cleo = await signUp(sys, 'Cleo');
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 700, currency: "USD") { id } }`, { id: cleo.id });
  const { id } = (await cleo.query(CREATE, { input: { lines: [{ productId: book, quantity: 1 }] } })).createCart;
  await cleo.query(`mutation($id: ID!, $a: AddressInput!) { setBillingAddress(cartId: $id, address: $a) { id } }`, { id, a: address() });
  const cart = await waitFor(async () => {
    const c = (await cleo.query(CREDIT, { id, use: true })).useStoreCredit;
    return c.totals.storeCreditApplied.amount === 700 ? c : null;
  }, 'the credit balance in the cart');
  // 2000 + 10% tax (billing address: nothing ships) − 700 credit.
  assert.deepEqual(totalsOf(cart), { subtotal: 2000, discount: 0, shipping: 0, tax: 200, storeCreditApplied: 700, total: 1500, taxIncluded: false });
  const { order } = (await cleo.query(CHECKOUT, { id })).checkoutCart;
  assert.equal(order.amountDue.amount, 1500);
  assert.equal(order.customer.id, cleo.id);

  const anon = (await visitor(sys).query(CREATE, { input: { lines: [{ productId: book, quantity: 1 }] } })).createCart.id;
  await refused(visitor(sys).raw(CREDIT, { id: anon, use: true }), 'UNAUTHENTICATED');
});

test('idle carts are gone after CART_TTL', async () => {
  const short = await testSystem({ CART_TTL: '300ms', SWEEP_INTERVAL: '100ms' });
  const { id } = (await visitor(short).query(CREATE, { input: { email: 'idle@example.com' } })).createCart;
  assert.equal((await visitor(short).query(READ, { id })).cart.id, id);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await visitor(short).query(READ, { id })).cart, null);
  await refused(visitor(short).raw(SET_EMAIL, { id, email: 'late@example.com' }), 'NOT_FOUND');
});

test('the demo data makes the cart usable on first start: its products, WELCOME10 and the demo credit', async () => {
  const first = (await visitor(sys).query(`{ products(first: 1) { nodes { id price { amount } } } }`)).products.nodes[0];
  const demo = await waitFor(async () => {
    const res = await gql(sys.gateway.url, `mutation { logIn(email: "demo@example.com", password: "demo-password") { token } }`);
    return res.data?.logIn?.token as string | undefined;
  }, 'the demo customer');
  const asDemo = visitor(sys, demo);
  // Seeded before the order subgraph first listened: the events waited in its queues.
  const { id } = (await asDemo.query(CREATE, { input: { lines: [{ productId: first.id, quantity: 1 }] } })).createCart;
  const cart = (await asDemo.query(APPLY, { id, code: 'welcome10' })).applyCoupon;
  assert.equal(cart.couponCode, 'WELCOME10');
  assert.equal(cart.totals.discount.amount, Math.floor(first.price.amount / 10));
  const credited = (await asDemo.query(CREDIT, { id, use: true })).useStoreCredit;
  assert.equal(credited.totals.storeCreditApplied.amount, 500);
});
