// Stripe refuses to charge less than its minimum (50¢ in USD): a checkout never leaves an amount
// due between 0 and that. Credit is trimmed to leave the minimum (or pays everything); an order or
// a coupon that would still leave less is BAD_USER_INPUT and holds nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id amountDue { amount } storeCreditApplied { amount } } }`;

async function withCredit(amount: number): Promise<Shopper> {
  const s = await signUp(sys, 'Cora');
  await admin.query(`mutation($id: ID!, $a: Int!) { grantStoreCredit(customerId: $id, amount: $a, currency: "USD") { id } }`, { id: s.id, a: amount });
  return s;
}

test('970 credit on a 1000 order leaves 50 due, never 30; the unused 20 stays on the account', async () => {
  const product = await createDigitalProduct(admin, 5, 1000);
  const cora = await withCredit(970);
  const o = (await cora.query(PLACE, { input: { items: [{ productId: product, quantity: 1 }], useStoreCredit: true } })).placeOrder;
  assert.deepEqual([o.storeCreditApplied.amount, o.amountDue.amount], [950, 50]);
  await waitFor(async () => (await cora.query(`{ me { storeCredit { amount } } }`)).me.storeCredit.amount === 20, 'the unused credit back');
});

test('credit that covers the whole total pays all of it', async () => {
  const product = await createDigitalProduct(admin, 5, 1000);
  const cora = await withCredit(1000);
  const o = (await cora.query(PLACE, { input: { items: [{ productId: product, quantity: 1 }], useStoreCredit: true } })).placeOrder;
  assert.deepEqual([o.storeCreditApplied.amount, o.amountDue.amount], [1000, 0]);
});

test('an order under the minimum, and a coupon leaving less than it, are BAD_USER_INPUT and hold nothing', async () => {
  const sticker = await createDigitalProduct(admin, 5, 30);
  const ann = await signUp(sys, 'Ann');
  const small = await ann.raw(PLACE, { input: { items: [{ productId: sticker, quantity: 1 }] } });
  assert.equal(small.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(small));
  assert.equal(small.errors?.[0]?.extensions?.minimumCharge, 50);
  assert.match(small.errors![0]!.message, /minimum charge of 50/);

  const mug = await createDigitalProduct(admin, 5, 1000);
  const code = `MIN${randomBytes(3).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($code: String!) { issueCoupon(input: { code: $code, amountOff: 970 }) { code } }`, { code });
  const coupon = await ann.raw(PLACE, { input: { items: [{ productId: mug, quantity: 1 }], couponCode: code } });
  assert.equal(coupon.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(coupon));
  assert.equal(coupon.errors?.[0]?.extensions?.field, 'couponCode');
  assert.deepEqual(await stockOf(sys, sticker), { stockOnHand: 5, available: 5 });
  assert.deepEqual(await stockOf(sys, mug), { stockOnHand: 5, available: 5 });
});
