// The whole checkout through the gateway: place → WAITING_FOR_PAYMENT with a checkout URL →
// pay on the emulator's page → PAID → FINISHED, loyalty points once, stock sold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../lib/system/system.js';
import { waitFor } from '../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);

test('place, pay on the emulator page, and the order reaches FINISHED', async () => {
  const mug = await createDigitalProduct(admin, 10, 1250);
  const ann = await signUp(sys, 'Ann');
  const placed = await ann.placeOrder({ items: [{ productId: mug, quantity: 2 }] });
  assert.equal(placed.status, 'PENDING');
  assert.equal(placed.amountDue.amount, 2500);
  assert.deepEqual(await stockOf(sys, mug), { stockOnHand: 10, available: 8 });

  const waiting = await ann.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  assert.match(waiting.payment.checkoutUrl, /^http:\/\/.+\/pay\/cs_test_/);
  assert.equal(waiting.payment.status, 'OPEN');
  await ann.pay(placed.id);

  const finished = await ann.waitForStatus(placed.id, 'FINISHED');
  assert.deepEqual(
    finished.statusHistory.map((h: { status: string }) => h.status),
    ['PENDING', 'WAITING_FOR_PAYMENT', 'PAID', 'FINISHED'],
  );
  assert.equal(finished.payment.status, 'SUCCEEDED');
  assert.deepEqual(await stockOf(sys, mug), { stockOnHand: 8, available: 8 });
  const me = await waitFor(async () => (await ann.query(`{ me { loyaltyPoints } }`)).me, 'loyalty points');
  assert.equal(me.loyaltyPoints, 25);
});

test('an order paid entirely by coupon and credit needs no session and still finishes', async () => {
  const pen = await createDigitalProduct(admin, 5, 1000);
  const bob = await signUp(sys, 'Bob');
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 300, currency: "USD") { id } }`, { id: bob.id });
  await admin.query(`mutation { issueCoupon(input: { code: "FREE70-${bob.id.slice(0, 6)}", percentOff: 70 }) { code } }`);
  const placed = await bob.placeOrder({ items: [{ productId: pen, quantity: 1 }], couponCode: `free70-${bob.id.slice(0, 6)}`, useStoreCredit: true });
  assert.equal(placed.discount.amount, 700);
  assert.equal(placed.storeCreditApplied.amount, 300);
  assert.equal(placed.amountDue.amount, 0);
  const finished = await bob.waitForStatus(placed.id, 'FINISHED');
  assert.equal(finished.payment, null);
  assert.deepEqual(
    finished.statusHistory.map((h: { status: string }) => h.status),
    ['PENDING', 'PAID', 'FINISHED'],
  );
});
