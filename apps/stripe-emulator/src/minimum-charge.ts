/**
 * Stripe's minimum charge amounts, in each currency's minor unit as the API counts it
 * (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). Below these Stripe
 * refuses a Checkout Session with `amount_too_small`, because its fees would exceed the charge.
 * HUF is listed as 175.00 Ft and the API treats HUF as two-decimal, so 17500. Currencies missing
 * here are charged in Stripe's settlement currency, whose minimum is the USD-equivalent $0.50; we
 * cannot convert offline, so we only refuse a total of 0 for them.
 * The payment and order subgraphs keep their own copy in lib/contracts: this app imports nothing of theirs.
 */
import { StripeApiError } from './errors.js';
import { formatAmount } from './money.js';

export const MINIMUM_CHARGE_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/** The smallest amount_total Stripe accepts in `currency` (1 where we know no minimum). */
export function minimumChargeFor(currency: string): number {
  return MINIMUM_CHARGE_AMOUNTS[currency.toLowerCase()] ?? 1;
}

/**
 * Stripe's refusal of a too-small total. It is found while validating, before anything is
 * created, so (like a parameter error) it is not saved for idempotent replay.
 */
export function assertAboveMinimumCharge(amountTotal: number, currency: string): void {
  const minimum = minimumChargeFor(currency);
  if (amountTotal >= minimum) return;
  if (amountTotal <= 0) {
    throw tooSmall("The Checkout Session's total amount due must be greater than 0.");
  }
  throw tooSmall(`The Checkout Session's total amount due must add up to at least ${formatAmount(minimum, currency)} ${currency.toLowerCase()}`);
}

function tooSmall(message: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, 'amount_too_small');
}
