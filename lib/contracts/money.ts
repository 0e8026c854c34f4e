/** Money as the schema shows it: integer minor units plus an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

export const money = (amount: number, currency: string): Money => ({ amount, currency });

/**
 * Stripe's minimum charge per currency, in minor units (docs.stripe.com/currencies, "Minimum and
 * maximum charge amounts"). An amount due between 0 and this can't be charged: store credit is
 * trimmed to leave at least this much (or nothing), and an order that would still be below it is
 * refused. Currencies Stripe doesn't list here fall back to 50 minor units.
 */
export const STRIPE_MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  USD: 50,
  AED: 200,
  AUD: 50,
  BGN: 100,
  BRL: 50,
  CAD: 50,
  CHF: 50,
  CZK: 1500,
  DKK: 250,
  EUR: 50,
  GBP: 30,
  HKD: 400,
  HUF: 17500,
  INR: 50,
  JPY: 50,
  MXN: 1000,
  MYR: 200,
  NOK: 300,
  NZD: 50,
  PLN: 200,
  RON: 200,
  SEK: 300,
  SGD: 50,
  THB: 1000,
};

export const minimumCharge = (currency: string) => STRIPE_MINIMUM_CHARGE[currency.toUpperCase()] ?? 50;
