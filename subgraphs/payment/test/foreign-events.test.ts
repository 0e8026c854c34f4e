// Stripe sends events for everything on the account (other apps, Payment Links, `stripe trigger`):
// what isn't ours is answered 200 and logged as foreign, so Stripe stops retrying it; only a
// session of one of our orders not recorded yet gets a non-2xx, and only for PAYMENT_EVENT_GRACE.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import Stripe from 'stripe';
import type { System } from '../../../lib/system/system.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { PaymentEntity, PaymentLogEntity } from '../src/persistence/entities.js';

const sys: System = await testSystem({ PAYMENT_EVENT_GRACE: '10m' });
const signer = new Stripe('sk_test_signing_only');
const paymentDb = sys.subgraphs.payment.runtime.db;

let counter = 0;
async function deliver(type: string, object: Record<string, unknown>): Promise<{ status: number; outcome: string; id: string }> {
  const id = `evt_foreign_${Date.now()}_${counter++}`;
  const payload = JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } });
  const signature = signer.webhooks.generateTestHeaderString({ payload, secret: sys.config.STRIPE_WEBHOOK_SECRET });
  const res = await fetch(`${sys.subgraphs.payment.url}/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
  return { status: res.status, outcome: ((await res.json()) as { outcome: string }).outcome, id };
}

const completed = (extra: Record<string, unknown>) => ({
  object: 'checkout.session',
  id: `cs_test_${randomUUID().replaceAll('-', '')}`,
  status: 'complete',
  payment_status: 'paid',
  amount_total: 1000,
  currency: 'usd',
  payment_intent: 'pi_test_elsewhere',
  created: Math.floor(Date.now() / 1000),
  metadata: {},
  ...extra,
});

test('a completed session of another app (no order id of ours) gets 200, is logged as foreign, and changes nothing', async () => {
  const before = await paymentDb.manager.count(PaymentEntity);
  const r = await deliver('checkout.session.completed', completed({}));
  assert.deepEqual([r.status, r.outcome], [200, 'foreign']);
  assert.equal((await paymentDb.manager.findOneByOrFail(PaymentLogEntity, { eventId: r.id })).outcome, 'foreign');
  assert.equal(await paymentDb.manager.count(PaymentEntity), before);
});

test('a session naming an order we have no Payment for: 409 within PAYMENT_EVENT_GRACE, then 200 and foreign', async () => {
  const fresh = await deliver('checkout.session.completed', completed({ metadata: { orderId: randomUUID() } }));
  assert.deepEqual([fresh.status, fresh.outcome], [409, 'unknown_session'], 'Stripe retries it while the Payment may be committing');
  assert.equal(await paymentDb.manager.countBy(PaymentLogEntity, { eventId: fresh.id }), 0, 'not logged, so the retry is not a duplicate');
  const old = await deliver('checkout.session.completed', completed({ metadata: { orderId: randomUUID() }, created: Math.floor(Date.now() / 1000) - 11 * 60 }));
  assert.deepEqual([old.status, old.outcome], [200, 'foreign']);
});

test('refund events for a payment intent that is not ours get 200 and are logged as foreign', async () => {
  const refund = { object: 'refund', id: 're_elsewhere', status: 'succeeded', amount: 500, payment_intent: 'pi_test_elsewhere' };
  for (const [type, object] of [
    ['refund.updated', refund],
    ['refund.failed', { ...refund, status: 'failed', failure_reason: 'lost_or_stolen_card' }],
    ['charge.refunded', { object: 'charge', id: 'ch_elsewhere', refunded: true, amount_refunded: 500, payment_intent: 'pi_test_elsewhere' }],
  ] as const) {
    const r = await deliver(type, object);
    assert.deepEqual([r.status, r.outcome], [200, 'foreign'], type);
  }
});
