// Which coupons a customer is shown, and how often one customer may use a coupon, through the
// gateway and the real checkout (placeOrder's try step holds the coupon).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const product = await createDigitalProduct(admin, 1000, 1000);

const ISSUE = `mutation($input: IssueCouponInput!) { issueCoupon(input: $input) { code public maxRedemptionsPerCustomer } }`;
const MY_COUPONS = `{ me { coupons { code public maxRedemptionsPerCustomer } } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id discount { amount } } }`;

const uniqueCode = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`;

async function issue(input: Record<string, unknown>): Promise<string> {
  const code = uniqueCode(String(input.code));
  await admin.query(ISSUE, { input: { percentOff: 10, ...input, code } });
  return code;
}

async function codesOf(shopper: Shopper): Promise<string[]> {
  return (await shopper.query(MY_COUPONS)).me.coupons.map((c: { code: string }) => c.code);
}

/** One unit with the coupon: the order's discount, or the error code it was refused with. */
async function orderWith(shopper: Shopper, couponCode: string): Promise<{ id?: string; discount?: number; code?: string }> {
  const res = await shopper.raw(PLACE, { input: { items: [{ productId: product, quantity: 1 }], couponCode } });
  if (res.errors?.length) return { code: res.errors[0]!.extensions?.code };
  return { id: res.data!.placeOrder.id, discount: res.data!.placeOrder.discount.amount };
}

test('a customer is shown the coupons issued to them and the public ones, not other open or other customers’ coupons', async () => {
  const [ann, bob] = await Promise.all([signUp(sys, 'Ann'), signUp(sys, 'Bob')]);
  const pub = await issue({ code: 'PUB', public: true });
  const open = await issue({ code: 'OPEN' });
  const anns = await issue({ code: 'ANN', customerId: ann.id });
  const bobs = await issue({ code: 'BOB', customerId: bob.id });

  const annSees = await codesOf(ann);
  for (const code of ['WELCOME10', pub, anns]) assert.ok(annSees.includes(code), `${code} in ${annSees}`);
  for (const code of [open, bobs]) assert.ok(!annSees.includes(code), `${code} not in ${annSees}`);
  const bobSees = await codesOf(bob);
  assert.ok(bobSees.includes(bobs) && !bobSees.includes(anns) && !bobSees.includes(open), String(bobSees));
  const welcome = (await ann.query(MY_COUPONS)).me.coupons.find((c: { code: string }) => c.code === 'WELCOME10');
  assert.deepEqual(welcome, { code: 'WELCOME10', public: true, maxRedemptionsPerCustomer: 1 });

  // An open coupon that is not listed still works when its code is typed.
  assert.deepEqual(await orderWith(bob, open).then((r) => r.discount), 100);
});

test('WELCOME10 works once per customer, and is no longer shown to a customer who used it', async () => {
  const [cat, dan] = await Promise.all([signUp(sys, 'Cat'), signUp(sys, 'Dan')]);
  assert.equal((await orderWith(cat, 'welcome10')).discount, 100);
  assert.equal((await orderWith(cat, 'WELCOME10')).code, 'COUPON_INVALID');
  assert.ok(!(await codesOf(cat)).includes('WELCOME10'));
  assert.equal((await orderWith(dan, 'WELCOME10')).discount, 100, 'another customer still may');
});

test('maxRedemptionsPerCustomer: the next use is refused; a cancelled order gives the use back', async () => {
  const [eve, fay] = await Promise.all([signUp(sys, 'Eve'), signUp(sys, 'Fay')]);
  const code = await issue({ code: 'TWICE', public: true, maxRedemptionsPerCustomer: 2 });
  const first = await orderWith(eve, code);
  assert.equal((await orderWith(eve, code)).discount, 100);
  const third = await eve.raw(PLACE, { input: { items: [{ productId: product, quantity: 1 }], couponCode: code } });
  assert.equal(third.errors?.[0]?.extensions?.code, 'COUPON_INVALID', JSON.stringify(third));
  assert.match(third.errors![0]!.message, /already used/);
  assert.ok(!(await codesOf(eve)).includes(code));
  assert.equal((await orderWith(fay, code)).discount, 100, 'the limit is per customer');

  await eve.query(CANCEL, { id: first.id });
  await waitFor(async () => (await codesOf(eve)).includes(code), 'the released hold to give the use back');
  assert.equal((await orderWith(eve, code)).discount, 100);
});

test('maxRedemptionsPerCustomer holds when one customer places orders with the coupon at once', async () => {
  const gus = await signUp(sys, 'Gus');
  const code = await issue({ code: 'ONCE', maxRedemptionsPerCustomer: 1 });
  const results = await Promise.all([1, 2, 3].map(() => orderWith(gus, code)));
  assert.equal(results.filter((r) => r.discount === 100).length, 1, JSON.stringify(results));
  assert.equal(results.filter((r) => r.code === 'COUPON_INVALID').length, 2, JSON.stringify(results));
});

test('issueCoupon refuses a maxRedemptionsPerCustomer under 1', async () => {
  const res = await admin.raw(ISSUE, { input: { code: uniqueCode('ZERO'), percentOff: 10, maxRedemptionsPerCustomer: 0 } });
  assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(res));
});
