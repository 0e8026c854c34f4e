// The Stripe emulator is exercised through the real stripe SDK, so these tests also pin
// down that our Stripe configuration (host/port/protocol, retries, idempotency keys) and
// webhook verification work against it exactly as they would against api.stripe.com.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { parseForm } from '../src/form.js';
import { startStripeEmulator, type StripeEmulator } from '../src/server.js';
import { client, eventFor, isStripeError, params, SECRET, silent, startReceiver, waitFor, type Receiver } from './support.js';

describe('stripe emulator', () => {
  let receiver: Receiver;
  let emulator: StripeEmulator;
  let stripe: Stripe;

  before(async () => {
    receiver = await startReceiver();
    // Short expiries let 'sessions expire on their own' watch the timer within the test.
    emulator = await startStripeEmulator({ port: 0, webhookUrl: receiver.url, webhookSecret: SECRET, log: silent, allowShortExpiry: true });
    stripe = client(emulator);
  });
  after(async () => {
    await emulator.stop();
    await receiver.close();
  });

  test('parses Stripe bracket notation', () => {
    const parsed = parseForm('a[0][b][c]=1&a[0][d]=x&a[1][b][c]=2&metadata[k]=v&expand[]=p&expand[]=q&top=t');
    assert.deepEqual(parsed, { a: [{ b: { c: '1' }, d: 'x' }, { b: { c: '2' } }], metadata: { k: 'v' }, expand: ['p', 'q'], top: 't' });
    assert.deepEqual(parseForm('__proto__[x]=1'), JSON.parse('{"__proto__":{"x":"1"}}'));
  });

  test('creates a checkout session and reads it back', async () => {
    const created = await stripe.checkout.sessions.create(params());
    assert.match(created.id, /^cs_test_/);
    assert.equal(created.object, 'checkout.session');
    assert.equal(created.amount_total, 1999 * 2 + 500);
    assert.equal(created.amount_subtotal, 4498);
    assert.equal(created.currency, 'usd');
    assert.equal(created.status, 'open');
    assert.equal(created.payment_status, 'unpaid');
    assert.equal(created.payment_intent, null);
    assert.equal(created.mode, 'payment');
    assert.equal(created.livemode, false);
    assert.equal(created.client_reference_id, 'order-1');
    assert.deepEqual(created.metadata, { orderId: 'order-1' });
    assert.equal(created.url, `http://localhost:${emulator.port}/pay/${created.id}`);

    const read = await stripe.checkout.sessions.retrieve(created.id, { expand: ['line_items'] });
    const { line_items, lastResponse: _r, ...rest } = read;
    const { lastResponse: _c, ...createdRest } = created;
    assert.deepEqual(rest, createdRest);
    assert.deepEqual(
      line_items?.data.map((li) => [li.description, li.quantity, li.amount_total]),
      [
        ['Widget', 2, 3998],
        ['Gift wrap', 1, 500],
      ],
    );
    assert.ok(emulator.sessions().some((s) => s.id === created.id));

    await assert.rejects(stripe.checkout.sessions.retrieve('cs_test_nope'), isStripeError('StripeInvalidRequestError', 404, 'resource_missing'));
  });

  test('rejects invalid session params with 400 invalid_request_error', async () => {
    const { line_items: _omit, ...withoutItems } = params();
    await assert.rejects(stripe.checkout.sessions.create(withoutItems), isStripeError('StripeInvalidRequestError', 400, 'parameter_missing'));
    await assert.rejects(stripe.checkout.sessions.create(params({ mode: 'subscription' })), isStripeError('StripeInvalidRequestError', 400));
    const negative = params({ line_items: [{ price_data: { currency: 'usd', unit_amount: -1, product_data: { name: 'x' } }, quantity: 1 }] });
    await assert.rejects(stripe.checkout.sessions.create(negative), isStripeError('StripeInvalidRequestError', 400));
    await assert.rejects(
      stripe.checkout.sessions.create(params({ expires_at: Math.floor(Date.now() / 1000) - 10 })),
      isStripeError('StripeInvalidRequestError', 400),
    );
  });

  test('customer_email prefills the session; a malformed one is refused', async () => {
    const created = await stripe.checkout.sessions.create(params({ customer_email: 'ann@example.com' }));
    assert.equal(created.customer_email, 'ann@example.com');
    assert.equal((await stripe.checkout.sessions.create(params())).customer_email, null);
    await assert.rejects(stripe.checkout.sessions.create(params({ customer_email: 'not an email' })), isStripeError('StripeInvalidRequestError', 400));
  });

  test('replays idempotent requests and rejects a key reused with other params', async () => {
    const before = emulator.sessions().length;
    const body = params();
    const first = await stripe.checkout.sessions.create(body, { idempotencyKey: 'idem-replay' });
    const second = await stripe.checkout.sessions.create(body, { idempotencyKey: 'idem-replay' });
    assert.equal(second.id, first.id);
    assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(emulator.sessions().length, before + 1);

    await assert.rejects(
      stripe.checkout.sessions.create(params({ client_reference_id: 'other' }), { idempotencyKey: 'idem-replay' }),
      isStripeError('StripeIdempotencyError', 400),
    );
    assert.equal(emulator.sessions().length, before + 1);
  });

  test('a bad API key gets 401', async () => {
    await assert.rejects(client(emulator, 'sk_live_not_allowed_here').checkout.sessions.create(params()), isStripeError('StripeAuthenticationError', 401));
    const res = await fetch(`${emulator.url}/v1/checkout/sessions`, { method: 'POST' });
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /API key/);
  });

  test('expiring via the API sends a signed checkout.session.expired', async () => {
    const session = await stripe.checkout.sessions.create(params());
    const expired = await stripe.checkout.sessions.expire(session.id);
    assert.equal(expired.status, 'expired');
    const event = await waitFor('expired event', eventFor(receiver, 'checkout.session.expired', session.id));
    assert.match(event.id, /^evt_/);
    assert.equal(event.object, 'event');
    assert.equal(event.livemode, false);
    assert.equal((event.data.object as Stripe.Checkout.Session).status, 'expired');
    await assert.rejects(stripe.checkout.sessions.expire(session.id), isStripeError('StripeInvalidRequestError', 400));
    const page = await fetch(`${emulator.url}/pay/${session.id}`);
    assert.equal(page.status, 410);
  });

  test('sessions expire on their own at expires_at', async () => {
    const session = await stripe.checkout.sessions.create(params({ expires_at: Math.floor(Date.now() / 1000) + 2 }));
    await waitFor('timer expiry', eventFor(receiver, 'checkout.session.expired', session.id), 4_000);
    assert.equal((await stripe.checkout.sessions.retrieve(session.id)).status, 'expired');
  });

  test('the hosted page pays the session, then refunds work once', async () => {
    const session = await stripe.checkout.sessions.create(params());
    const pageUrl = new URL(new URL(session.url!).pathname, emulator.url);
    const page = await fetch(pageUrl);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<title>[^<]*\$44\.98[^<]*<\/title>/);
    assert.match(html, /Widget/);
    assert.match(html, /A &#60;blue&#62; widget/); // descriptions are escaped
    assert.match(html, /value="4242 4242 4242 4242"/);
    assert.match(html, /<button type="submit">Pay<\/button>/);
    assert.match(html, /<a class="cancel" href="http:\/\/localhost:3000\/cart">Cancel<\/a>/);
    assert.doesNotMatch(html, /<script|<link|https?:\/\/(?!localhost:3000)/);

    const form = /<form method="POST" action="([^"]+)">/.exec(html);
    assert.ok(form, 'payment form');
    assert.equal(form[1], `/pay/${session.id}`);
    const fields = new URLSearchParams([...html.matchAll(/<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    assert.equal(fields.get('card_number'), '4242 4242 4242 4242');
    const paid = await fetch(new URL(form[1], emulator.url), { method: 'POST', body: fields, redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `http://localhost:3000/orders/order-1?session=${session.id}`);

    const event = await waitFor('completed event', eventFor(receiver, 'checkout.session.completed', session.id));
    const completed = event.data.object as Stripe.Checkout.Session;
    assert.equal(completed.status, 'complete');
    assert.equal(completed.payment_status, 'paid');
    assert.match(String(completed.payment_intent), /^pi_/);
    assert.deepEqual(completed.metadata, { orderId: 'order-1' });

    const again = await fetch(new URL(form[1], emulator.url), { method: 'POST', body: fields, redirect: 'manual' });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /already been paid/);

    const paymentIntent = String(completed.payment_intent);
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent, metadata: { reason: 'test' } });
    assert.match(refund.id, /^re_/);
    assert.equal(refund.object, 'refund');
    assert.equal(refund.amount, 4498);
    assert.equal(refund.currency, 'usd');
    assert.equal(refund.payment_intent, paymentIntent);
    assert.equal(refund.status, 'succeeded');
    assert.deepEqual(refund.metadata, { reason: 'test' });
    await assert.rejects(stripe.refunds.create({ payment_intent: paymentIntent }), isStripeError('StripeInvalidRequestError', 400, 'charge_already_refunded'));
    await assert.rejects(stripe.refunds.create({ payment_intent: 'pi_unknown' }), isStripeError('StripeInvalidRequestError', 400, 'resource_missing'));
  });

  test('partial refunds cannot exceed what remains', async () => {
    const session = await stripe.checkout.sessions.create(params());
    await emulator.pay(session.id);
    const paymentIntent = String((await stripe.checkout.sessions.retrieve(session.id)).payment_intent);
    assert.equal((await stripe.refunds.create({ payment_intent: paymentIntent, amount: 4000 })).amount, 4000);
    await assert.rejects(
      stripe.refunds.create({ payment_intent: paymentIntent, amount: 499 }),
      isStripeError('StripeInvalidRequestError', 400, 'amount_too_large'),
    );
    assert.equal((await stripe.refunds.create({ payment_intent: paymentIntent })).amount, 498);
  });

  test('the declined test card leaves the session open', async () => {
    const session = await stripe.checkout.sessions.create(params());
    const res = await fetch(`${emulator.url}/pay/${session.id}`, { method: 'POST', body: new URLSearchParams({ card_number: '4000 0000 0000 0002' }) });
    assert.equal(res.status, 402);
    assert.match(await res.text(), /declined/);
    assert.equal((await stripe.checkout.sessions.retrieve(session.id)).status, 'open');
  });
});
