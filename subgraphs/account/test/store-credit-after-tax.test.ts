// Store credit pays after shipping and tax: the try step holds credit up to the order's upper bound
// (maxCredit), and order.created gives back what the order did not use, exactly once.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import type { EventPayloads } from '../../../lib/contracts/events.js';
import { internalCallHeaders } from '../../../lib/platform/http/internal-call.js';
import type { Transaction } from '../../../lib/platform/messaging/transaction.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { BenefitHoldEntity, CustomerEntity } from '../src/persistence/entities.js';
import { confirmBenefits } from '../src/use-cases/confirm-benefits.js';
import { finaliseBenefits } from '../src/use-cases/finalise-benefits.js';
import { releaseCancelledBenefits } from '../src/use-cases/release-benefits.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const account = sys.subgraphs.account.runtime;
/** What the consumers hand a step: the transaction, and the config (credit changes are announced in the store currency). */
const step = (tx: Transaction) => ({ ...tx, config: account.config });

async function shopperWithCredit(credit: number): Promise<Shopper> {
  const shopper = await signUp(sys, 'Cora');
  await admin.query(`mutation($id: ID!, $a: Int!) { grantStoreCredit(customerId: $id, amount: $a, currency: "USD") { id } }`, { id: shopper.id, a: credit });
  return shopper;
}

const customerWithCredit = async (credit: number) => (await shopperWithCredit(credit)).id;

const balanceOf = async (customerId: string) => (await account.db.manager.findOneByOrFail(CustomerEntity, { id: customerId })).storeCredit;
const heldCreditOf = async (orderId: string) => (await account.db.manager.findOneByOrFail(BenefitHoldEntity, { orderId })).credit;

/** The order subgraph's try step call: POST /internal/benefits, signed. */
async function hold(request: Record<string, unknown>): Promise<{ status: number; body: Record<string, any> }> {
  const url = `${sys.subgraphs.account.url}/internal/benefits`;
  const body = JSON.stringify({ couponCode: null, useStoreCredit: true, currency: 'USD', ...request });
  const headers = await internalCallHeaders(sys.config.SERVICE_TOKEN, { audience: 'account', method: 'POST', url, body });
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

function orderCreated(
  orderId: string,
  customerId: string,
  o: { subtotal: number; discount?: number; couponCode?: string | null; credit: number; shipping: number; tax: number },
): EventPayloads['order.created'] {
  const discount = o.discount ?? 0;
  const total = o.subtotal - discount + o.shipping + o.tax;
  return {
    orderId,
    customerId,
    items: [{ productId: randomUUID(), name: 'Enamel mug', quantity: 1, unitPrice: o.subtotal, requiresShipping: true }],
    subtotal: o.subtotal,
    discount,
    storeCreditApplied: o.credit,
    amountDue: total - o.credit,
    currency: 'USD',
    couponCode: o.couponCode ?? null,
    placedAt: new Date().toISOString(),
    email: null,
    shippingAddress: null,
    billingAddress: null,
    shippingMethod: { code: 'STANDARD', name: 'Standard' },
    shipping: o.shipping,
    tax: o.tax,
    taxIncluded: false,
  };
}

test('the hold takes credit up to maxCredit; order.created gives the surplus back once', async () => {
  const customerId = await customerWithCredit(5000);
  const orderId = randomUUID();
  // Goods 1000, at most 1500 shipping and 300 tax: up to 1800 may be paid by credit.
  const held = await hold({ orderId, customerId, subtotal: 1000, maxCredit: 1800 });
  assert.equal(held.status, 200, JSON.stringify(held.body));
  assert.equal(held.body.storeCreditApplied, 1800);
  assert.equal(await balanceOf(customerId), 3200);

  // The order chose standard shipping (500) and owes 150 tax: it used 1650 of the 1800.
  const created = orderCreated(orderId, customerId, { subtotal: 1000, credit: 1650, shipping: 500, tax: 150 });
  assert.equal(await account.transact((tx) => confirmBenefits(step(tx), created)), 'applied');
  assert.equal(await balanceOf(customerId), 5000 - 1650, 'the balance shows only what the order used');
  assert.equal(await heldCreditOf(orderId), 1650);

  // The same event applied again (the inbox would drop it; this is the statement's own guard).
  await account.transact((tx) => confirmBenefits(step(tx), created));
  assert.equal(await balanceOf(customerId), 5000 - 1650, 'the surplus came back once');

  // Cancelled: what the order used comes back too, and nothing more.
  await account.transact((tx) => releaseCancelledBenefits(step(tx), { orderId }));
  assert.equal(await balanceOf(customerId), 5000);
});

test('credit is capped at maxCredit less the coupon, and at the balance', async () => {
  const code = `TEN${randomBytes(3).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($code: String!) { issueCoupon(input: { code: $code, amountOff: 100 }) { code } }`, { code });
  const rich = await customerWithCredit(5000);
  const withCoupon = await hold({ orderId: randomUUID(), customerId: rich, subtotal: 1000, maxCredit: 1800, couponCode: code });
  assert.equal(withCoupon.status, 200, JSON.stringify(withCoupon.body));
  assert.deepEqual([withCoupon.body.discount, withCoupon.body.storeCreditApplied], [100, 1700]);

  const poor = await customerWithCredit(700);
  assert.equal((await hold({ orderId: randomUUID(), customerId: poor, subtotal: 1000, maxCredit: 1800 })).body.storeCreditApplied, 700);
  assert.equal(await balanceOf(poor), 0);
});

test('without maxCredit the hold takes the goods after discount, as before', async () => {
  const customerId = await customerWithCredit(5000);
  assert.equal((await hold({ orderId: randomUUID(), customerId, subtotal: 1000 })).body.storeCreditApplied, 1000);
  assert.equal((await hold({ orderId: randomUUID(), customerId, subtotal: 1000, maxCredit: -1 })).status, 400);
});

test('an order paid before its order.created reached account still gets its surplus back', async () => {
  const customerId = await customerWithCredit(3000);
  const orderId = randomUUID();
  await hold({ orderId, customerId, subtotal: 1000, maxCredit: 1800 });
  await account.transact((tx) => finaliseBenefits(step(tx), { orderId, customerId, amountDue: 0, currency: 'USD', shippingAddress: null }));
  const created = orderCreated(orderId, customerId, { subtotal: 1000, credit: 1200, shipping: 0, tax: 200 });
  assert.equal(await account.transact((tx) => confirmBenefits(step(tx), created)), 'applied');
  assert.equal(await balanceOf(customerId), 3000 - 1200);
  assert.equal((await account.db.manager.findOneByOrFail(BenefitHoldEntity, { orderId })).status, 'SETTLED');
});

test('through placeOrder: the hold covers full shipping, the order ships free, the balance shows only what it used', async () => {
  await admin.query(`mutation { setTaxRate(input: { country: "IS", rate: 1000 }) { rate } }`);
  const lamp = await createProduct(admin, 5, 6000);
  const cora = await shopperWithCredit(10_000);
  // STANDARD costs 500 but is free over 5000: the hold takes 6000 + 500 + 10% tax = 7150, the
  // order uses 6000 + 600 tax.
  const placed = await cora.placeOrder({
    items: [{ productId: lamp, quantity: 1 }],
    useStoreCredit: true,
    shippingAddress: { name: 'Cora', line1: '1 Harbour St', city: 'Reykjavik', postalCode: '101', country: 'IS' },
    shippingMethod: 'STANDARD',
  });
  assert.deepEqual([placed.storeCreditApplied.amount, placed.amountDue.amount], [6600, 0]);
  await cora.waitForStatus(placed.id, 'FINISHED');
  await waitFor(async () => (await balanceOf(cora.id)) === 10_000 - 6600 || null, 'the unused 550 to come back');
  assert.equal(await heldCreditOf(placed.id), 6600);
});
