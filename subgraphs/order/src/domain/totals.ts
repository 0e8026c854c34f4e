// Order totals in integer minor units of the store currency, the same wherever they are shown or
// charged (a cart, placeOrder, the Stripe session). In three steps, because tax sits behind a port
// (tax.ts) that a remote provider may answer: taxableOf → the port's tax lines → totalsOf.
//   subtotal − discount = the goods, the discount spread over the lines in proportion;
//   shipping by the chosen method, free once the discounted goods reach its freeOver, and 0 when
//   nothing needs shipping;
//   tax per line on its discounted amount and on shipping where the rate says so (tax.ts);
//   total = goods + shipping (+ tax unless prices include it); store credit pays last.
import type { PricedLine } from '../../../../lib/contracts/order-lines.js';
import { shareOut } from '../../../../lib/contracts/shares.js';

/** What a total needs of a line. */
export type PricedItem = Pick<PricedLine, 'quantity' | 'unitPrice'> & { requiresShipping?: boolean };

export interface ShippingRate {
  price: number;
  /** Shipping is free when the discounted subtotal reaches this; null: never free. */
  freeOver: number | null;
}

/** What tax is computed on: each line after its share of the discount, and shipping. */
export interface Taxable {
  subtotal: number;
  discount: number;
  lineAmounts: number[];
  shipping: number;
}

/** Tax per line (in the order of Taxable.lineAmounts) and on shipping. */
export interface TaxLines {
  lines: number[];
  shipping: number;
}

export interface Totals {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  /** True when prices include tax: `tax` is the included part, not added to the total. */
  taxIncluded: boolean;
  storeCreditApplied: number;
  amountDue: number;
}

export const subtotalOf = (lines: PricedItem[]) => lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);

/**
 * The lines after the discount, and shipping. The discount (never more than the subtotal) is
 * spread in proportion to each line's total (shareOut, as the Stripe session's lines are), so the
 * shares always add up to the discount exactly.
 */
export function taxableOf(lines: PricedItem[], discount: number, shipping: ShippingRate | null): Taxable {
  const totals = lines.map((l) => l.quantity * l.unitPrice);
  const subtotal = totals.reduce((a, b) => a + b, 0);
  const d = Math.min(Math.max(0, discount), subtotal);
  const shares = shareOut(d, totals);
  const ships = lines.some((l) => l.requiresShipping ?? true);
  const free = shipping?.freeOver !== null && shipping?.freeOver !== undefined && subtotal - d >= shipping.freeOver;
  return { subtotal, discount: d, lineAmounts: totals.map((t, i) => t - shares[i]!), shipping: ships && shipping && !free ? shipping.price : 0 };
}

/**
 * The totals of taxed lines: credit pays after tax, as much as is offered up to the whole total,
 * but never leaving an amount due between 0 and minimumDue (Stripe's minimum charge), which no
 * card payment could settle: then it leaves exactly minimumDue.
 */
export function totalsOf(taxable: Taxable, tax: TaxLines, taxIncluded: boolean, storeCredit: number, minimumDue = 0): Totals {
  const taxTotal = tax.lines.reduce((a, b) => a + b, 0) + tax.shipping;
  const total = taxable.subtotal - taxable.discount + taxable.shipping + (taxIncluded ? 0 : taxTotal);
  const offered = Math.max(0, storeCredit);
  const storeCreditApplied = offered >= total ? total : Math.min(offered, Math.max(0, total - minimumDue));
  return {
    subtotal: taxable.subtotal,
    discount: taxable.discount,
    shipping: taxable.shipping,
    tax: taxTotal,
    taxIncluded,
    storeCreditApplied,
    amountDue: total - storeCreditApplied,
  };
}

/** No tax: for orders priced before taxes existed, and places no rate covers. */
export const NO_TAX = (taxable: Taxable): TaxLines => ({ lines: taxable.lineAmounts.map(() => 0), shipping: 0 });
