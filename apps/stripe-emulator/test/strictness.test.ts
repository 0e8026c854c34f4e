// Where Stripe refuses a request and money would otherwise go wrong, the emulator refuses it too,
// with Stripe's status, type, code and message: a total under the currency's minimum charge, an
// expiry outside Stripe's window, parameters Stripe does not know or removed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { MINIMUM_CHARGE_AMOUNTS } from '../src/minimum-charge.js';
import { isStripeError, params, startHarness, type Harness } from './support.js';

const now = () => Math.floor(Date.now() / 1000);
const oneItem = (currency: string, unitAmount: number): Stripe.Checkout.SessionCreateParams.LineItem[] => [
  { price_data: { currency, unit_amount: unitAmount, product_data: { name: 'x' } }, quantity: 1 },
];
/** Sends params the SDK's types no longer allow, as an old or loosely typed caller could. */
const loose = (extra: Record<string, unknown>) => ({ ...params(), ...extra }) as Stripe.Checkout.SessionCreateParams;
const refusal = (code: string | undefined, message: string | RegExp, param?: string) => (err: unknown) => {
  const e = err as Stripe.errors.StripeError;
  assert.equal(e.type, 'StripeInvalidRequestError');
  assert.equal(e.statusCode, 400);
  assert.equal(e.code, code);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  if (param) assert.equal(e.param, param);
  return true;
};

describe('stripe emulator strictness', () => {
  let strict: Harness;
  let lenient: Harness;
  before(async () => {
    strict = await startHarness();
    lenient = await startHarness({ allowShortExpiry: true });
  });
  after(async () => {
    await strict.close();
    await lenient.close();
  });

  test("a total under the currency's minimum charge is refused with amount_too_small", async () => {
    const { stripe } = strict;
    await assert.rejects(
      stripe.checkout.sessions.create(params({ line_items: oneItem('usd', 49) })),
      refusal('amount_too_small', "The Checkout Session's total amount due must add up to at least $0.50 usd"),
    );
    await assert.rejects(stripe.checkout.sessions.create(params({ line_items: oneItem('gbp', 29) })), refusal('amount_too_small', /at least £0\.30 gbp$/));
    await assert.rejects(stripe.checkout.sessions.create(params({ line_items: oneItem('jpy', 49) })), refusal('amount_too_small', /at least ¥50 jpy$/));
    await assert.rejects(stripe.checkout.sessions.create(params({ line_items: oneItem('sek', 299) })), refusal('amount_too_small', /sek$/));
    // Exactly the minimum is fine, and two items under it add up.
    assert.equal((await stripe.checkout.sessions.create(params({ line_items: oneItem('usd', 50) }))).amount_total, 50);
    assert.equal((await stripe.checkout.sessions.create(params({ line_items: oneItem('gbp', 30) }))).amount_total, 30);
    const twoSmall = [...oneItem('usd', 25), ...oneItem('usd', 25)];
    assert.equal((await stripe.checkout.sessions.create(params({ line_items: twoSmall }))).amount_total, 50);
    assert.deepEqual([MINIMUM_CHARGE_AMOUNTS.usd, MINIMUM_CHARGE_AMOUNTS.eur, MINIMUM_CHARGE_AMOUNTS.dkk, MINIMUM_CHARGE_AMOUNTS.nok], [50, 50, 250, 300]);
  });

  test('expires_at must be 30 minutes to 24 hours ahead, unless short expiries are allowed', async () => {
    await assert.rejects(
      strict.stripe.checkout.sessions.create(params({ expires_at: now() + 29 * 60 })),
      refusal('parameter_invalid', 'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'expires_at'),
    );
    assert.equal((await strict.stripe.checkout.sessions.create(params({ expires_at: now() + 31 * 60 }))).status, 'open');
    for (const { stripe } of [strict, lenient]) {
      await assert.rejects(
        stripe.checkout.sessions.create(params({ expires_at: now() + 24 * 3600 + 60 })),
        refusal('parameter_invalid', /less than 24 hours/, 'expires_at'),
      );
    }
    assert.equal((await lenient.stripe.checkout.sessions.create(params({ expires_at: now() + 60 }))).status, 'open');
    await assert.rejects(
      lenient.stripe.checkout.sessions.create(params({ expires_at: now() - 1 })),
      refusal('parameter_invalid', /in the future/, 'expires_at'),
    );
  });

  test('unknown parameters are refused with parameter_unknown, at any depth', async () => {
    const { stripe } = strict;
    await assert.rejects(
      stripe.checkout.sessions.create(loose({ sucess_url: 'http://x.test' })),
      refusal('parameter_unknown', 'Received unknown parameter: sucess_url', 'sucess_url'),
    );
    const nested = params();
    (nested.line_items![0]!.price_data as unknown as Record<string, unknown>).colour = 'blue';
    await assert.rejects(
      stripe.checkout.sessions.create(nested),
      refusal('parameter_unknown', 'Received unknown parameter: line_items[0][price_data][colour]'),
    );
    await assert.rejects(
      stripe.refunds.create({ payment_intent: 'pi_x', amount_cents: 5 } as Stripe.RefundCreateParams),
      refusal('parameter_unknown', 'Received unknown parameter: amount_cents'),
    );
    await assert.rejects(
      stripe.checkout.sessions.list({ paymentIntent: 'pi_x' } as Stripe.Checkout.SessionListParams),
      refusal('parameter_unknown', 'Received unknown parameter: paymentIntent'),
    );
    // Known Stripe parameters we do not emulate are still accepted.
    assert.equal((await stripe.checkout.sessions.create(params({ locale: 'de' }))).status, 'open');
  });

  test('parameters removed in earlier API versions are refused with Stripe’s message', async () => {
    const { stripe } = strict;
    const legacyItem = { amount: 1000, currency: 'usd', name: 'Widget', quantity: 1 };
    await assert.rejects(
      stripe.checkout.sessions.create(loose({ line_items: [legacyItem] })),
      refusal(
        undefined,
        'You cannot use `line_items.amount`, `line_items.currency`, `line_items.name`, `line_items.description`, or `line_items.images` in this API version. Please use `line_items.price` or `line_items.price_data`. Please see https://stripe.com/docs/payments/checkout/migrating-prices for more information.',
      ),
    );
    await assert.rejects(
      stripe.checkout.sessions.create(loose({ shipping_rates: ['shr_123'] })),
      refusal('parameter_unknown', 'Received unknown parameter: shipping_rates. Did you mean shipping_options?', 'shipping_rates'),
    );
    await assert.rejects(
      stripe.checkout.sessions.create(loose({ subscription_data: { items: [{ plan: 'plan_1' }] } })),
      refusal('parameter_unknown', /subscription_data\[items\]/, 'subscription_data[items]'),
    );
    await assert.rejects(
      stripe.checkout.sessions.create(loose({ payment_method_types: ['card'] })),
      refusal('parameter_unknown', 'Received unknown parameter: payment_method_types. Did you mean allowed_payment_method_types?'),
    );
    const cardOnly = await stripe.checkout.sessions.create(params({ allowed_payment_method_types: ['card'] }));
    assert.deepEqual(cardOnly.payment_method_types, ['card']);
    assert.deepEqual(cardOnly.allowed_payment_method_types, ['card']);
  });

  test('a refusal before executing is not saved: the key still works for a corrected request', async () => {
    const { stripe, emulator } = strict;
    await assert.rejects(
      stripe.checkout.sessions.create(loose({ colour: 'blue' }), { idempotencyKey: 'fix-me' }),
      isStripeError('StripeInvalidRequestError', 400),
    );
    const before = emulator.sessions().length;
    const created = await stripe.checkout.sessions.create(params(), { idempotencyKey: 'fix-me' });
    assert.equal(created.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(emulator.sessions().length, before + 1);
  });
});
