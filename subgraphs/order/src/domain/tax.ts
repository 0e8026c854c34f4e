// Tax behind a small port, so a provider such as Stripe Tax or Avalara can replace the built-in
// rate table: implement TaxCalculator (its calculateTax gets the discounted lines, shipping and the
// address, and answers tax per line) and hand it to the order subgraph's deps instead.
import type { Address } from '../../../../lib/contracts/address.js';
import type { Taxable, TaxLines } from './totals.js';

export interface TaxCalculator {
  calculateTax(taxable: Taxable, address: Address | null, pricesIncludeTax: boolean): Promise<TaxLines>;
}

export interface TaxRate {
  country: string;
  region: string | null;
  /** Basis points: 825 = 8.25 %. */
  rate: number;
  appliesToShipping: boolean;
}

/** The rate for an address: a region's own rate wins over its country's. */
export function rateFor(rates: TaxRate[], address: Address | null): TaxRate | null {
  if (!address) return null;
  const country = rates.filter((r) => r.country === address.country);
  const region = address.region?.toUpperCase();
  return country.find((r) => r.region !== null && r.region.toUpperCase() === region) ?? country.find((r) => r.region === null) ?? null;
}

/** n / d rounded half up, for non-negative integers (exact: every product stays below 2^53). */
const roundHalfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

/**
 * Tax of one amount: on top of it (rate / 10,000 of it), or the part of it that is tax when prices
 * include it (amount × rate / (10,000 + rate)); rounded half up to minor units, per line.
 */
export const taxOf = (amount: number, rate: number, included: boolean) =>
  included ? roundHalfUp(amount * rate, 10_000 + rate) : roundHalfUp(amount * rate, 10_000);

/** Tax lines by one rate (the rate table's answer). */
export function taxByRate(taxable: Taxable, rate: TaxRate | null, included: boolean): TaxLines {
  if (!rate) return { lines: taxable.lineAmounts.map(() => 0), shipping: 0 };
  return {
    lines: taxable.lineAmounts.map((a) => taxOf(a, rate.rate, included)),
    shipping: rate.appliesToShipping ? taxOf(taxable.shipping, rate.rate, included) : 0,
  };
}
