/**
 * Stripe amounts are integers in the currency's smallest unit, except for Stripe's
 * zero-decimal currencies (amount 500 in JPY is ¥500) and three-decimal ones.
 * https://docs.stripe.com/currencies#zero-decimal
 */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export function minorUnitDigits(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** True when Intl knows the ISO code; used to validate `currency` params. */
export function isKnownCurrency(currency: string): boolean {
  if (!/^[a-z]{3}$/.test(currency)) return false;
  return Intl.supportedValuesOf('currency').includes(currency.toUpperCase());
}

/** Stripe's maximum charge amount is 99,999,999 minor units ($999,999.99). */
export const MAX_AMOUNT = 99_999_999;

export function formatAmount(amount: number, currency: string, locale = 'en-US'): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}
