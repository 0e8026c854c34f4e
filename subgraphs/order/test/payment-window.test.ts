// Unpaid orders never hold stock forever: the session expires at Stripe, and even when no expiry
// event ever comes, the order subgraph cancels orders unpaid past PAYMENT_WINDOW + PAYMENT_GRACE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem({ PAYMENT_WINDOW: '3s', PAYMENT_GRACE: '1s', SWEEP_INTERVAL: '200ms' });
const admin: Shopper = await logInAdmin(sys);

test('an expired Checkout Session cancels the order and gives the stock back', async () => {
  const product = await createDigitalProduct(admin, 3);
  const ann = await signUp(sys, 'Ann');
  const order = await ann.placeOrder({ items: [{ productId: product, quantity: 2 }] });
  await ann.waitForStatus(order.id, 'WAITING_FOR_PAYMENT');
  const cancelled = await ann.waitForStatus(order.id, 'CANCELLED', 15_000);
  assert.equal(cancelled.payment.status, 'EXPIRED');
  assert.match(cancelled.cancellationReason, /expired|window/);
  await waitFor(async () => (await stockOf(sys, product)).available === 3, 'stock released');
});

test('with no session and no expiry event, the order is cancelled after the payment window and grace', async () => {
  sys.emulator!.failNext('POST', '/v1/checkout/sessions', 10_000);
  try {
    const product = await createDigitalProduct(admin, 3);
    const bob = await signUp(sys, 'Bob');
    const order = await bob.placeOrder({ items: [{ productId: product, quantity: 1 }] });
    const cancelled = await bob.waitForStatus(order.id, 'CANCELLED', 15_000);
    assert.equal(cancelled.cancellationReason, 'payment window passed');
    assert.equal(cancelled.payment, null);
    await waitFor(async () => (await stockOf(sys, product)).available === 3, 'stock released');
  } finally {
    sys.emulator!.failNext('POST', '/v1/checkout/sessions', 0);
  }
});
