// Refund outcomes (refundMode) with the events Stripe sends for each, and the refund list/retrieve
// endpoints.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { eventsAbout, isStripeError, paidSession, startHarness, waitFor, type Harness } from './support.js';

describe('stripe emulator refunds', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const chargeRefunded = (paymentIntent: string) => () =>
    h.receiver.events.find((e) => e.type === 'charge.refunded' && (e.data.object as Stripe.Charge).payment_intent === paymentIntent);

  test("'succeeded' (default): succeeded at once; refund.created and charge.refunded carry the request", async () => {
    h.emulator.refundMode('succeeded');
    const { paymentIntent } = await paidSession(h);
    const refund = await h.stripe.refunds.create({ payment_intent: paymentIntent, amount: 1000 }, { idempotencyKey: 'refund-ok' });
    assert.equal(refund.status, 'succeeded');
    const created = await waitFor('refund.created', () => eventsAbout(h.receiver, refund.id, 'refund.created')[0]);
    assert.equal((created.data.object as Stripe.Refund).status, 'succeeded');
    assert.equal(created.request?.idempotency_key, 'refund-ok');
    assert.equal(created.request?.id, refund.lastResponse.requestId);
    const charge = (await waitFor('charge.refunded', chargeRefunded(paymentIntent))).data.object as Stripe.Charge;
    assert.equal(charge.object, 'charge');
    assert.equal(charge.amount_refunded, 1000);
    assert.equal(charge.refunded, false, 'a partial refund leaves the charge not fully refunded');
    assert.equal(charge.amount, 4498);
  });

  test("'pending-then-succeeded': pending, then refund.updated and charge.refunded without a request", async () => {
    h.emulator.refundMode('pending-then-succeeded', 50);
    const { paymentIntent } = await paidSession(h);
    const refund = await h.stripe.refunds.create({ payment_intent: paymentIntent });
    assert.equal(refund.status, 'pending');
    const created = await waitFor('refund.created', () => eventsAbout(h.receiver, refund.id, 'refund.created')[0]);
    assert.equal((created.data.object as Stripe.Refund).status, 'pending');
    const updated = await waitFor('refund.updated', () => eventsAbout(h.receiver, refund.id, 'refund.updated')[0]);
    assert.equal((updated.data.object as Stripe.Refund).status, 'succeeded');
    assert.deepEqual(updated.request, { id: null, idempotency_key: null });
    const charge = (await waitFor('charge.refunded', chargeRefunded(paymentIntent))).data.object as Stripe.Charge;
    assert.equal(charge.refunded, true);
    assert.equal(charge.amount_refunded, 4498);
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'succeeded');
    assert.equal(eventsAbout(h.receiver, refund.id, 'refund.failed').length, 0);
  });

  test("'pending-then-failed': pending, then refund.updated and refund.failed; the amount is refundable again", async () => {
    h.emulator.refundMode('pending-then-failed', 50);
    const { paymentIntent } = await paidSession(h);
    const refund = await h.stripe.refunds.create({ payment_intent: paymentIntent });
    assert.equal(refund.status, 'pending');
    // While pending, the amount counts as refunded.
    await assert.rejects(
      h.stripe.refunds.create({ payment_intent: paymentIntent }),
      isStripeError('StripeInvalidRequestError', 400, 'charge_already_refunded'),
    );
    const failed = await waitFor('refund.failed', () => eventsAbout(h.receiver, refund.id, 'refund.failed')[0]);
    const failedRefund = failed.data.object as Stripe.Refund;
    assert.equal(failedRefund.status, 'failed');
    assert.equal(failedRefund.failure_reason, 'lost_or_stolen_card');
    assert.equal((eventsAbout(h.receiver, refund.id, 'refund.updated')[0]?.data.object as Stripe.Refund).status, 'failed');
    assert.equal(h.receiver.events.filter((e) => e.type === 'charge.refunded' && (e.data.object as Stripe.Charge).payment_intent === paymentIntent).length, 0);
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'failed');
    h.emulator.refundMode('succeeded');
    assert.equal((await h.stripe.refunds.create({ payment_intent: paymentIntent })).status, 'succeeded');
  });

  test('GET /v1/refunds lists a payment intent’s refunds newest first; GET /v1/refunds/:id reads one', async () => {
    h.emulator.refundMode('succeeded');
    const { paymentIntent } = await paidSession(h);
    const first = await h.stripe.refunds.create({ payment_intent: paymentIntent, amount: 100 });
    const second = await h.stripe.refunds.create({ payment_intent: paymentIntent, amount: 200 });
    const list = await h.stripe.refunds.list({ payment_intent: paymentIntent });
    assert.equal(list.object, 'list');
    assert.equal(list.url, '/v1/refunds');
    assert.equal(list.has_more, false);
    assert.deepEqual(
      list.data.map((r) => r.id),
      [second.id, first.id],
    );
    const page = await h.stripe.refunds.list({ payment_intent: paymentIntent, limit: 1 });
    assert.equal(page.has_more, true);
    const next = await h.stripe.refunds.list({ payment_intent: paymentIntent, limit: 1, starting_after: page.data[0]!.id });
    assert.deepEqual(
      next.data.map((r) => r.id),
      [first.id],
    );
    assert.equal((await h.stripe.refunds.retrieve(first.id)).amount, 100);
    await assert.rejects(h.stripe.refunds.retrieve('re_missing'), isStripeError('StripeInvalidRequestError', 404, 'resource_missing'));
  });
});
