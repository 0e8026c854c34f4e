// Never oversell, never leave half an order: concurrent checkouts against scarce stock,
// coupons and credit, through the gateway.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { gql } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

// A few shoppers race for scarce stock with many orders each: the open-order limit is not under test here.
const sys: System = await testSystem({ MAX_OPEN_ORDERS: '1000' });
const admin: Shopper = await logInAdmin(sys);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status amountDue { amount } } }`;

async function placeRaw(shopper: Shopper, input: Record<string, unknown>) {
  return gql(sys.gateway.url, PLACE, { input }, shopper.token);
}

test('200 concurrent orders for 50 units: exactly 50 win, 150 get OUT_OF_STOCK, stock is conserved', async () => {
  const product = await createDigitalProduct(admin, 50);
  const shoppers = await Promise.all(Array.from({ length: 10 }, (_, i) => signUp(sys, `Racer${i}`)));
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => placeRaw(shoppers[i % 10]!, { items: [{ productId: product, quantity: 1 }] })));
  const won = results.filter((r) => r.data?.placeOrder);
  const lost = results.filter((r) => r.errors?.[0]?.extensions?.code === 'OUT_OF_STOCK');
  assert.equal(won.length, 50, JSON.stringify(results.find((r) => r.errors && r.errors[0]?.extensions?.code !== 'OUT_OF_STOCK')));
  assert.equal(lost.length, 150);
  assert.deepEqual(lost[0]!.errors![0]!.extensions!.productIds, [product]);
  const stock = await stockOf(sys, product);
  assert.deepEqual(stock, { stockOnHand: 50, available: 0 });
});

test('concurrent multi-product orders over overlapping products in random order: no deadlock reaches a client', async () => {
  const products = await Promise.all(Array.from({ length: 4 }, () => createDigitalProduct(admin, 30)));
  const shopper = await signUp(sys, 'Multi');
  const shuffle = <T>(xs: T[]) =>
    xs
      .map((x) => [Math.random(), x] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x);
  const results = await Promise.all(
    Array.from({ length: 60 }, () =>
      placeRaw(shopper, {
        items: shuffle(products)
          .slice(0, 3)
          .map((productId) => ({ productId, quantity: 1 })),
      }),
    ),
  );
  const codes = new Set(results.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? []));
  assert.ok(
    [...codes].every((c) => c === 'OUT_OF_STOCK'),
    `unexpected errors: ${[...codes].join(', ')}`,
  );
  const won = results.filter((r) => r.data?.placeOrder).length;
  let heldUnits = 0;
  for (const p of products) {
    const s = await stockOf(sys, p);
    assert.equal(s.stockOnHand, 30);
    heldUnits += s.stockOnHand - s.available;
  }
  assert.equal(heldUnits, won * 3, 'every won order holds exactly its three units');
});

test('a coupon with maxRedemptions 1 used by 20 concurrent orders: exactly one wins', async () => {
  const product = await createDigitalProduct(admin, 100);
  const code = `ONCE${Date.now().toString(36).toUpperCase()}`;
  await admin.query(`mutation($code: String!) { issueCoupon(input: { code: $code, amountOff: 100, maxRedemptions: 1 }) { code } }`, { code });
  const shoppers = await Promise.all(Array.from({ length: 4 }, (_, i) => signUp(sys, `Coupon${i}`)));
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => placeRaw(shoppers[i % 4]!, { items: [{ productId: product, quantity: 1 }], couponCode: code })),
  );
  assert.equal(results.filter((r) => r.data?.placeOrder).length, 1);
  assert.equal(results.filter((r) => r.errors?.[0]?.extensions?.code === 'COUPON_INVALID').length, 19);
  // The losers' stock holds were released before their mutations returned.
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 100, available: 99 });
});

test('two concurrent orders spending the same credit never spend more than the credit', async () => {
  const product = await createDigitalProduct(admin, 10, 1000);
  const carol = await signUp(sys, 'Carol');
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 1500, currency: "USD") { id } }`, { id: carol.id });
  const results = await Promise.all([1, 2].map(() => placeRaw(carol, { items: [{ productId: product, quantity: 1 }], useStoreCredit: true })));
  const orders = results.map((r) => r.data!.placeOrder);
  const spent = orders.reduce((s, o) => s + (1000 - o.amountDue.amount), 0);
  assert.equal(spent, 1500);
  const me = await carol.query(`{ me { storeCredit { amount } } }`);
  assert.equal(me.me.storeCredit.amount, 0);
});

test('cancelOrder twice at once: stock, coupon and credit come back exactly once', async () => {
  const product = await createDigitalProduct(admin, 5, 2000);
  const dan = await signUp(sys, 'Dan');
  const code = `BACK${Date.now().toString(36).toUpperCase()}`;
  // Public, so that Dan's coupons list shows it once it is back.
  await admin.query(`mutation($code: String!) { issueCoupon(input: { code: $code, percentOff: 10, maxRedemptions: 1, public: true }) { code } }`, { code });
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 500, currency: "USD") { id } }`, { id: dan.id });
  const order = await dan.placeOrder({ items: [{ productId: product, quantity: 2 }], couponCode: code, useStoreCredit: true });
  assert.equal(order.amountDue.amount, 4000 - 400 - 500);
  const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }`;
  const results = await Promise.all([1, 2].map(() => dan.raw(CANCEL, { id: order.id })));
  assert.equal(results.filter((r) => r.data?.cancelOrder?.status === 'CANCELLED').length, 1, JSON.stringify(results));
  assert.equal(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT').length, 1);
  const { waitFor } = await import('../../../lib/testkit/graphql.js');
  await waitFor(async () => (await stockOf(sys, product)).available === 5, 'stock released');
  const me = await waitFor(async () => {
    const d = await dan.query(`{ me { storeCredit { amount } coupons { code } } }`);
    return d.me.storeCredit.amount === 500 && d.me.coupons.some((c: { code: string }) => c.code === code) ? d.me : null;
  }, 'credit and coupon back');
  assert.equal(me.storeCredit.amount, 500);
  // Exactly once: a second release would have made the coupon usable twice and credit 1000.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await dan.query(`{ me { storeCredit { amount } } }`)).me.storeCredit.amount, 500);
  assert.deepEqual(await stockOf(sys, product), { stockOnHand: 5, available: 5 });
});
