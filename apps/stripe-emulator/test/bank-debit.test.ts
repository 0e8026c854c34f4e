// ACH debit, Stripe's asynchronous way to pay: the session completes unpaid at once and the
// bank's answer arrives later as checkout.session.async_payment_succeeded or _failed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { eventFor, eventsAbout, isStripeError, params, startHarness, waitFor, type Harness } from './support.js';

describe('stripe emulator bank debit', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const sessionOf = (event: Stripe.Event) => event.data.object as Stripe.Checkout.Session;

  test('a succeeding debit: completed unpaid, then async_payment_succeeded and paid', async () => {
    const session = await h.stripe.checkout.sessions.create(params());
    assert.deepEqual(session.payment_method_types, ['card', 'us_bank_account']);
    await h.emulator.payByBankDebit(session.id, { outcome: 'succeeded', delayMs: 60_000 });
    const completed = sessionOf(await waitFor('completed', eventFor(h.receiver, 'checkout.session.completed', session.id)));
    assert.equal(completed.status, 'complete');
    assert.equal(completed.payment_status, 'unpaid');
    assert.match(String(completed.payment_intent), /^pi_/);
    // Nothing to refund until the debit settles.
    await assert.rejects(
      h.stripe.refunds.create({ payment_intent: String(completed.payment_intent) }),
      isStripeError('StripeInvalidRequestError', 400, 'charge_not_refundable'),
    );

    await h.emulator.settleBankDebit(session.id); // instead of waiting a minute
    const succeeded = sessionOf(await waitFor('async success', eventFor(h.receiver, 'checkout.session.async_payment_succeeded', session.id)));
    assert.equal(succeeded.payment_status, 'paid');
    assert.equal(succeeded.payment_intent, completed.payment_intent);
    assert.equal((await h.stripe.checkout.sessions.retrieve(session.id)).payment_status, 'paid');
    assert.equal((await h.stripe.refunds.create({ payment_intent: String(completed.payment_intent) })).status, 'succeeded');
    await assert.rejects(h.emulator.settleBankDebit(session.id), /no pending bank debit/);
  });

  test('a failing debit settles on its own after the delay: async_payment_failed, still unpaid', async () => {
    const session = await h.stripe.checkout.sessions.create(params());
    await h.emulator.payByBankDebit(session.id, { outcome: 'failed', delayMs: 30 });
    const failed = sessionOf(await waitFor('async failure', eventFor(h.receiver, 'checkout.session.async_payment_failed', session.id)));
    assert.equal(failed.status, 'complete');
    assert.equal(failed.payment_status, 'unpaid');
    assert.deepEqual(
      eventsAbout(h.receiver, session.id).map((e) => e.type),
      ['checkout.session.completed', 'checkout.session.async_payment_failed'],
    );
    assert.deepEqual(eventsAbout(h.receiver, session.id)[0]!.request, { id: null, idempotency_key: null });
  });

  test('the hosted page offers bank debit; its form chooses the outcome and the delay', async () => {
    const session = await h.stripe.checkout.sessions.create(params());
    const html = await (await fetch(`${h.emulator.url}/pay/${session.id}`)).text();
    assert.match(html, /US bank account \(ACH debit\)/);
    assert.match(html, /<button type="submit" name="payment_method" value="us_bank_account" formnovalidate>Pay by bank debit<\/button>/);
    assert.match(html, /<select id="debit_outcome" name="debit_outcome">/);
    const form = new URLSearchParams({ payment_method: 'us_bank_account', debit_outcome: 'failed', debit_delay_ms: '20', email: 'bo@example.com' });
    const res = await fetch(`${h.emulator.url}/pay/${session.id}`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(res.status, 303);
    const completed = sessionOf(await waitFor('completed', eventFor(h.receiver, 'checkout.session.completed', session.id)));
    assert.equal(completed.payment_status, 'unpaid');
    assert.equal(completed.customer_details?.email, 'bo@example.com');
    await waitFor('async failure', eventFor(h.receiver, 'checkout.session.async_payment_failed', session.id));
    const again = await fetch(`${h.emulator.url}/pay/${session.id}`);
    assert.equal(again.status, 409);
  });

  test('the page refuses a malformed delay and leaves the session open', async () => {
    const session = await h.stripe.checkout.sessions.create(params());
    const form = new URLSearchParams({ payment_method: 'us_bank_account', debit_delay_ms: 'soon' });
    const res = await fetch(`${h.emulator.url}/pay/${session.id}`, { method: 'POST', body: form });
    assert.equal(res.status, 400);
    assert.equal((await h.stripe.checkout.sessions.retrieve(session.id)).status, 'open');
  });

  test('bank debit is USD only, as ACH is', async () => {
    const eur = await h.stripe.checkout.sessions.create(
      params({ line_items: [{ price_data: { currency: 'eur', unit_amount: 1000, product_data: { name: 'x' } }, quantity: 1 }] }),
    );
    assert.deepEqual(eur.payment_method_types, ['card']);
    await assert.rejects(h.emulator.payByBankDebit(eur.id, { outcome: 'succeeded', delayMs: 0 }), /does not offer us_bank_account/);
    const html = await (await fetch(`${h.emulator.url}/pay/${eur.id}`)).text();
    assert.doesNotMatch(html, /bank debit/i);
  });
});
