// Idempotency as Stripe does it: a response is saved once the request began executing, a 500
// included, and replayed for the same key with `Idempotent-Replayed: true`; a failure before
// executing saves nothing, so a retry with the key executes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isStripeError, paidSession, params, rawPost, sessionForm, startHarness, type Harness } from './support.js';

describe('stripe emulator idempotency and injected faults', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a 500 injected 'after' executes, is saved, and is replayed for the key", async () => {
    const { emulator } = h;
    const before = emulator.sessions().length;
    emulator.failNext('POST', '/v1/checkout/sessions', 1, 'after');
    const first = await rawPost(emulator, '/v1/checkout/sessions', sessionForm(), 'after-key');
    assert.equal(first.status, 500);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(first.headers.get('stripe-should-retry'), 'false', 'a retry could only replay it');
    const requestId = first.headers.get('request-id');
    assert.equal(emulator.sessions().length, before + 1, 'the session was created before the 500');

    const replay = await rawPost(emulator, '/v1/checkout/sessions', sessionForm(), 'after-key');
    assert.equal(replay.status, 500);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.headers.get('original-request'), requestId);
    assert.equal(replay.headers.get('stripe-should-retry'), 'false');
    assert.deepEqual(await replay.json(), await first.json());
    assert.equal(emulator.sessions().length, before + 1, 'the replay executes nothing');
  });

  test("through the SDK, an 'after' 500 is not retried in vain and creates exactly one refund", async () => {
    const { emulator, stripe } = h;
    const { paymentIntent } = await paidSession(h);
    emulator.failNext('POST', '/v1/refunds', 1, 'after');
    // Stripe-Should-Retry: false stops the SDK's retries; a retry by hand gets the saved 500 again.
    await assert.rejects(stripe.refunds.create({ payment_intent: paymentIntent }, { idempotencyKey: 'refund-after' }), isStripeError('StripeAPIError', 500));
    const again = await stripe.refunds.create({ payment_intent: paymentIntent }, { idempotencyKey: 'refund-after' }).catch((err: Error) => err);
    assert.ok(again instanceof Error);
    assert.equal((again as { headers?: Record<string, string> }).headers?.['idempotent-replayed'], 'true');
    const refunds = emulator.refunds().filter((r) => r.payment_intent === paymentIntent);
    assert.equal(refunds.length, 1);
    assert.equal(refunds[0]!.status, 'succeeded');
    // The money is already back: a new key finds nothing left to refund.
    await assert.rejects(stripe.refunds.create({ payment_intent: paymentIntent }), isStripeError('StripeInvalidRequestError', 400, 'charge_already_refunded'));
  });

  test("a 500 injected 'before' (the default) is not saved: the retry with the key executes", async () => {
    const { emulator } = h;
    const before = emulator.sessions().length;
    emulator.failNext('POST', '/v1/checkout/sessions', 1);
    const failed = await rawPost(emulator, '/v1/checkout/sessions', sessionForm(), 'before-key');
    assert.equal(failed.status, 500);
    assert.equal(emulator.sessions().length, before);
    const retried = await rawPost(emulator, '/v1/checkout/sessions', sessionForm(), 'before-key');
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get('idempotent-replayed'), null);
    assert.equal(emulator.sessions().length, before + 1);
    const again = await rawPost(emulator, '/v1/checkout/sessions', sessionForm(), 'before-key');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(((await again.json()) as { id: string }).id, ((await retried.json()) as { id: string }).id);
  });

  test('state errors found while executing are saved too', async () => {
    const { stripe } = h;
    const session = await stripe.checkout.sessions.create(params());
    await stripe.checkout.sessions.expire(session.id);
    await assert.rejects(stripe.checkout.sessions.expire(session.id, {}, { idempotencyKey: 'expire-twice' }), isStripeError('StripeInvalidRequestError', 400));
    const replay = await rawPost(h.emulator, `/v1/checkout/sessions/${session.id}/expire`, {}, 'expire-twice');
    assert.equal(replay.status, 400);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  });
});
