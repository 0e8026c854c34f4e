// A refund request that died after reserving its amount and before Stripe answered is resumed by
// the sweeper with the row's own key: exactly one refund at Stripe, the row SUCCEEDED.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { PaymentEntity, RefundEntity, type RefundRow } from '../src/persistence/entities.js';
import { reserveRefund } from '../src/persistence/refunds.js';
import { createStripe } from '../src/stripe/client.js';
import { paymentDeps } from '../src/use-cases/deps.js';
import { resumeStalledRefunds, STALLED_AFTER_MS } from '../src/use-cases/resume-refunds.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const runtime = sys.subgraphs.payment.runtime;
const deps = paymentDeps(runtime, createStripe(runtime.config));

test('a refund reserved but never sent to Stripe is made by the sweeper, once, and the amount stays counted', async () => {
  const product = await createDigitalProduct(admin, 5, 1500);
  const ann = await signUp(sys, 'Ann');
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const waiting = await ann.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  await sys.emulator!.pay(waiting.payment.stripeCheckoutSessionId);
  await ann.waitForStatus(placed.id, 'PAID');
  const payment = await runtime.db.manager.findOneByOrFail(PaymentEntity, { orderId: placed.id });
  // What refundOrder's first transaction leaves when its process dies right after it.
  const at = new Date(Date.now() - STALLED_AFTER_MS - 1000);
  const row: RefundRow = {
    id: randomUUID(),
    paymentId: payment.id,
    kind: 'ADMIN',
    amount: 600,
    currency: payment.currency,
    status: 'PENDING',
    reason: 'crashed mid-request',
    stripeRefundId: null,
    keyGeneration: 0,
    actorId: admin.id,
    createdAt: at,
    updatedAt: at,
  };
  await runtime.transact(async ({ em }) => {
    assert.ok(await reserveRefund(em, payment.id, row.amount));
    await em.insert(RefundEntity, row);
  });
  assert.equal(await resumeStalledRefunds(deps, { now: new Date() }), 1);
  const done = await runtime.db.manager.findOneByOrFail(RefundEntity, { id: row.id });
  assert.equal(done.status, 'SUCCEEDED');
  const atStripe = sys.emulator!.refunds().filter((r) => r.metadata?.refundId === row.id);
  assert.equal(atStripe.length, 1);
  assert.equal(atStripe[0]!.amount, 600);
  assert.equal(await resumeStalledRefunds(deps, { now: new Date() }), 0, 'nothing left to resume');
  assert.equal((await runtime.db.manager.findOneByOrFail(PaymentEntity, { id: payment.id })).refundReserved, 600);
});
