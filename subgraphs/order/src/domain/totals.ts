// Order totals in integer minor units of the store currency.
import type { PricedLine } from '../../../../lib/contracts/order-lines.js';

/** What a total needs of a line. */
type Priced = Pick<PricedLine, 'quantity' | 'unitPrice'>;

export interface Totals {
  subtotal: number;
  discount: number;
  storeCreditApplied: number;
  amountDue: number;
}

export const subtotalOf = (lines: Priced[]) => lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);

/** Discount never exceeds the subtotal, credit never exceeds what is left: amountDue ≥ 0. */
export function totalsOf(lines: Priced[], discount: number, storeCreditApplied: number): Totals {
  const subtotal = subtotalOf(lines);
  const d = Math.min(Math.max(0, discount), subtotal);
  const c = Math.min(Math.max(0, storeCreditApplied), subtotal - d);
  return { subtotal, discount: d, storeCreditApplied: c, amountDue: subtotal - d - c };
}
