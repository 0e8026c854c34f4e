// GET /v1/checkout/sessions with Stripe's filters and pagination; `event.request` naming the API
// call behind an event (nulls for time and the hosted page); and memory that levels off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventFor, paidSession, params, startHarness, waitFor, type Harness } from './support.js';

describe('stripe emulator session list and event requests', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ allowShortExpiry: true });
  });
  after(() => h.close());

  test('lists sessions newest first, filtered by payment_intent and status, paged with limit/starting_after', async () => {
    const { stripe } = h;
    const open = await stripe.checkout.sessions.create(params());
    const { sessionId: paidId, paymentIntent } = await paidSession(h);
    const byIntent = await stripe.checkout.sessions.list({ payment_intent: paymentIntent });
    assert.equal(byIntent.object, 'list');
    assert.equal(byIntent.url, '/v1/checkout/sessions');
    assert.deepEqual(
      byIntent.data.map((s) => s.id),
      [paidId],
    );
    const all = await stripe.checkout.sessions.list({ limit: 100 });
    assert.deepEqual(
      all.data.slice(0, 2).map((s) => s.id),
      [paidId, open.id],
    );
    assert.ok((await stripe.checkout.sessions.list({ status: 'open', limit: 100 })).data.every((s) => s.status === 'open'));
    const first = await stripe.checkout.sessions.list({ limit: 1 });
    assert.equal(first.has_more, true);
    const second = await stripe.checkout.sessions.list({ limit: 1, starting_after: first.data[0]!.id });
    assert.equal(second.data[0]!.id, open.id);
    const future = Math.floor(Date.now() / 1000) + 3600;
    assert.equal((await stripe.checkout.sessions.list({ created: { gte: future } })).data.length, 0);
  });

  test('events name the API request behind them, or nulls when time or the page caused them', async () => {
    const { stripe, receiver } = h;
    const viaApi = await stripe.checkout.sessions.create(params());
    const expired = await stripe.checkout.sessions.expire(viaApi.id, {}, { idempotencyKey: 'expire-for-request' });
    const apiEvent = await waitFor('expired via API', eventFor(receiver, 'checkout.session.expired', viaApi.id));
    assert.equal(apiEvent.request?.id, expired.lastResponse.requestId);
    assert.match(String(apiEvent.request?.id), /^req_/);
    assert.equal(apiEvent.request?.idempotency_key, 'expire-for-request');

    const byTime = await stripe.checkout.sessions.create(params({ expires_at: Math.floor(Date.now() / 1000) + 1 }));
    const timeEvent = await waitFor('expired by time', eventFor(receiver, 'checkout.session.expired', byTime.id), 3_000);
    assert.deepEqual(timeEvent.request, { id: null, idempotency_key: null });

    const { sessionId } = await paidSession(h);
    const pageEvent = await waitFor('paid on the page', eventFor(receiver, 'checkout.session.completed', sessionId));
    assert.deepEqual(pageEvent.request, { id: null, idempotency_key: null });
  });
});

describe('stripe emulator pruning', () => {
  test('finished sessions, their refunds and idempotency keys are forgotten after their retention', async (t) => {
    const h = await startHarness({ finishedSessionRetentionMs: 300, idempotencyRetentionMs: 300 });
    t.after(() => h.close());
    let peak = 0;
    for (let i = 0; i < 60; i++) {
      const { paymentIntent } = await paidSession(h);
      await h.stripe.refunds.create({ payment_intent: paymentIntent }, { idempotencyKey: `prune-refund-${i}` });
      const open = await h.stripe.checkout.sessions.create(params(), { idempotencyKey: `prune-open-${i}` });
      await h.stripe.checkout.sessions.expire(open.id);
      const { sessions, refunds, idempotencyKeys } = h.emulator.storeSizes();
      peak = Math.max(peak, sessions + refunds + idempotencyKeys);
    }
    assert.ok(peak >= 20, `the stores grew (peak ${peak})`);
    // The timer does it on its own (every retention/4) without keeping the process alive.
    await waitFor('the stores to empty', () => {
      const { sessions, refunds, idempotencyKeys } = h.emulator.storeSizes();
      return sessions + refunds + idempotencyKeys === 0 ? true : undefined;
    });
    const young = await h.stripe.checkout.sessions.create(params());
    h.emulator.prune();
    assert.equal(h.emulator.storeSizes().sessions, 1, 'an open session is never pruned');
    await h.stripe.checkout.sessions.retrieve(young.id);
  });
});
