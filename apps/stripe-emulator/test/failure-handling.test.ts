// The emulator when things fail: injected 500s against the SDK's retries, and webhook endpoints
// that answer 500 or are not up yet.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startStripeEmulator } from '../src/server.js';
import { client, eventFor, isStripeError, params, SECRET, silent, startReceiver, waitFor } from './support.js';

describe('stripe emulator failure handling', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  async function setup(receiverPort?: number) {
    const receiver = await startReceiver(receiverPort);
    const emulator = await startStripeEmulator({ port: 0, webhookUrl: receiver.url, webhookSecret: SECRET, log: silent });
    cleanup.push(
      () => receiver.close(),
      () => emulator.stop(),
    );
    return { receiver, emulator, stripe: client(emulator) };
  }

  test('two injected 500s are retried by the SDK and create exactly one session', async () => {
    const { emulator, stripe } = await setup();
    emulator.failNext('POST', '/v1/checkout/sessions', 2);
    const session = await stripe.checkout.sessions.create(params(), { idempotencyKey: 'retry-me' });
    assert.match(session.id, /^cs_test_/);
    assert.equal(emulator.sessions().length, 1);
    assert.equal(emulator.sessions()[0]!.id, session.id);

    // Without an explicit key the SDK's own Idempotency-Key gives the same guarantee.
    emulator.failNext('POST', '/v1/checkout/sessions', 2);
    await stripe.checkout.sessions.create(params());
    assert.equal(emulator.sessions().length, 2);
  });

  test('more failures than retries surface as a StripeAPIError', async () => {
    const { emulator, stripe } = await setup();
    emulator.failNext('POST', '/v1/checkout/sessions', 3);
    await assert.rejects(stripe.checkout.sessions.create(params()), isStripeError('StripeAPIError', 500));
    assert.equal(emulator.sessions().length, 0);
  });

  test('a webhook endpoint answering 500 twice still gets the event', async () => {
    const { receiver, emulator, stripe } = await setup();
    receiver.failWith = [500, 500];
    const session = await stripe.checkout.sessions.create(params());
    await emulator.pay(session.id);
    const event = await waitFor('retried delivery', eventFor(receiver, 'checkout.session.completed', session.id));
    assert.equal((event.data.object as Stripe.Checkout.Session).payment_status, 'paid');
    assert.equal(receiver.attempts, 3);
    assert.equal(receiver.events.length, 1);
  });

  test('an event sent while the webhook endpoint is down is delivered once it is up', async () => {
    // Find a free port, then leave it closed: the webhook URL refuses connections at first.
    const probe = await startReceiver();
    const { port, url } = probe;
    await probe.close();
    const emulator = await startStripeEmulator({ port: 0, webhookUrl: url, webhookSecret: SECRET, log: silent });
    cleanup.push(() => emulator.stop());
    const session = await client(emulator).checkout.sessions.create(params());
    await emulator.expire(session.id);
    await new Promise((r) => setTimeout(r, 300)); // a few failed attempts
    const up = await startReceiver(port);
    cleanup.push(() => up.close());
    await waitFor('late delivery', eventFor(up, 'checkout.session.expired', session.id));
  });
});
