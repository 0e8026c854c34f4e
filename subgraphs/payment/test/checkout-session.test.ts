// The Stripe Checkout Session charges exactly the order's amountDue, line by line (goods after the
// coupon, shipping, tax, store credit taken off), and is prefilled with the order's email.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type Stripe from 'stripe';
import type { System } from '../../../lib/system/system.js';
import { createProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { createStripe } from '../src/stripe/client.js';
import { sqlTime } from '../../../lib/platform/db/database.js';
import { createSession, recordSession, type PlacedOrder } from '../src/use-cases/open-checkout.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const payment = sys.subgraphs.payment.runtime;
const stripe = createStripe(payment.config);

async function sessionLines(sessionId: string) {
  const items = await stripe.checkout.sessions.listLineItems(sessionId, { limit: 100 });
  return items.data.map((li) => [li.description, li.quantity, li.amount_total]);
}

const emulatorSession = (sessionId: string): Stripe.Checkout.Session | undefined => sys.emulator!.sessions().find((s) => s.id === sessionId);

const ADDRESS = { name: 'Dan Doe', line1: '1 Harbour St', city: 'Reykjavik', postalCode: '101', country: 'IS' };

test('coupon, store credit, shipping and tax: the session totals amountDue, prefilled with the email, and is paid', async () => {
  await admin.query(`mutation { setTaxRate(input: { country: "IS", rate: 1000 }) { rate } }`);
  const mug = await createProduct(admin, 10, 1250);
  const pen = await createProduct(admin, 10, 333);
  const dan = await signUp(sys, 'Dan');
  const code = `TENPC${randomBytes(3).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($code: String!) { issueCoupon(input: { code: $code, percentOff: 10 }) { code } }`, { code });
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 777, currency: "USD") { id } }`, { id: dan.id });
  const placed = await dan.placeOrder({
    items: [
      { productId: mug, quantity: 2 },
      { productId: pen, quantity: 3 },
    ],
    couponCode: code,
    useStoreCredit: true,
    email: 'dan-receipts@example.com',
    shippingAddress: ADDRESS,
    shippingMethod: 'STANDARD',
  });
  const { shipping, tax } = (await dan.query(`query($id: ID!) { order(id: $id) { shipping { amount } tax { amount } } }`, { id: placed.id })).order;
  assert.deepEqual([placed.discount.amount, placed.storeCreditApplied.amount, shipping.amount], [349, 777, 500]);
  assert.ok(tax.amount > 0, 'Iceland taxes the order');
  assert.equal(placed.amountDue.amount, 3499 - 349 + 500 + tax.amount - 777);

  const waiting = await dan.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  const session = emulatorSession(waiting.payment.stripeCheckoutSessionId);
  assert.ok(session, 'the emulator has the session');
  assert.equal(session.amount_total, placed.amountDue.amount);
  assert.equal(session.customer_email, 'dan-receipts@example.com');
  const lines = await sessionLines(session.id);
  assert.deepEqual(
    lines.map(([name, quantity]) => [name, quantity]).sort(),
    [
      [`2 × ${await nameOf(mug)}`, 1],
      [`3 × ${await nameOf(pen)}`, 1],
      ['Standard shipping', 1],
      ['Tax', 1],
    ].sort(),
  );
  assert.equal(
    lines.reduce((a, [, , amount]) => a + Number(amount), 0),
    placed.amountDue.amount,
  );
  await dan.pay(placed.id);
  assert.equal((await dan.waitForStatus(placed.id, 'FINISHED')).payment.status, 'SUCCEEDED');
});

async function nameOf(productId: string): Promise<string> {
  return (await admin.query(`query($id: ID!) { product(id: $id) { name } }`, { id: productId })).product.name;
}

/** An order as order.created tells it: 2 × 1250 + 999, 10% off, standard shipping, tax, credit. */
const placedOrder = (): PlacedOrder => ({
  orderId: randomUUID(),
  customerId: randomUUID(),
  items: [
    { productId: randomUUID(), name: 'Enamel mug', quantity: 2, unitPrice: 1250, requiresShipping: true },
    { productId: randomUUID(), name: 'Pen', quantity: 3, unitPrice: 333, requiresShipping: true },
  ],
  subtotal: 3499,
  discount: 350,
  shipping: 500,
  tax: 365,
  taxIncluded: false,
  storeCreditApplied: 1000,
  amountDue: 3499 - 350 + 500 + 365 - 1000,
  currency: 'USD',
  couponCode: 'TENPC',
  placedAt: new Date().toISOString(),
  email: 'erin@example.com',
  shippingAddress: null,
  billingAddress: null,
  shippingMethod: { code: 'EXPRESS', name: 'Express' },
});

test('shipping, tax and email reach Stripe: separate lines, customer_email, amount_total = amountDue', async () => {
  const order = placedOrder();
  const prepared = await createSession({ db: payment.db, stripe, config: payment.config }, order);
  assert.ok('session' in prepared);
  const session = emulatorSession(prepared.session.id)!;
  assert.equal(session.customer_email, 'erin@example.com');
  assert.equal(session.amount_total, order.amountDue);
  const lines = await sessionLines(session.id);
  assert.deepEqual(
    lines.map(([name, quantity]) => [name, quantity]),
    [
      ['2 × Enamel mug', 1],
      ['3 × Pen', 1],
      ['Shipping: Express', 1],
      ['Tax', 1],
    ],
  );
  assert.equal(
    lines.reduce((a, [, , amount]) => a + Number(amount), 0),
    order.amountDue,
  );

  const withoutEmail = await createSession({ db: payment.db, stripe, config: payment.config }, { ...order, orderId: randomUUID(), email: null });
  assert.ok('session' in withoutEmail);
  assert.equal(emulatorSession(withoutEmail.session.id)!.customer_email, null);
});

test('an order cancelled while its session was made: the Payment is kept unoffered, and announced without a URL', async () => {
  const order = placedOrder();
  const prepared = await createSession({ db: payment.db, stripe, config: payment.config }, order);
  assert.ok('session' in prepared);
  // order.cancelled arrives before the session is recorded.
  await payment.db.manager.query('INSERT INTO order_cancellations (order_id, at) VALUES (?, ?)', [order.orderId, sqlTime(new Date())]);
  assert.equal(await payment.transact((tx) => recordSession(tx, { order, traceparent: null, prepared })), 'applied');

  const [row] = await payment.db.manager.query('SELECT id, session_id, checkout_url FROM payments WHERE order_id = ?', [order.orderId]);
  assert.deepEqual([row.session_id, row.checkout_url], [prepared.session.id, null], 'kept, never offered');
  const events: { type: string; payload: string }[] = await payment.db.manager.query('SELECT type, payload FROM outbox WHERE aggregate_id = ?', [
    order.orderId,
  ]);
  assert.deepEqual(
    events.map((e) => [e.type, JSON.parse(e.payload)]),
    [['payment.checkout_created', { orderId: order.orderId, paymentId: row.id, sessionId: prepared.session.id, checkoutUrl: '' }]],
    "announced, so that the (cancelled) order's pushes carry the payment",
  );
});
