// Pure rules for an order's lines, shared by the order subgraph (validation before the try step)
// and inventory (which validates again before holding).
import { badInput } from './errors.js';

/** A product and how many: what a client asks for, and what a stock hold takes. */
export interface HoldLine {
  productId: string;
  quantity: number;
}

/** A line priced when its stock was held: what the order keeps and order.created carries. */
export interface PricedLine extends HoldLine {
  name: string;
  /** Minor units of the order's currency. */
  unitPrice: number;
  /** Physical goods: the order needs a shipping address and method. */
  requiresShipping: boolean;
}

/** Inventory's answer to the try step: each held line with its price and currency. */
export interface HeldLine extends PricedLine {
  currency: string;
}

export const MAX_LINES = 50;
export const MAX_QUANTITY = 1000;

/** Merges duplicate products and sorts by id, so concurrent holds lock rows in one fixed order. */
export function normaliseLines(lines: HoldLine[]): HoldLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.productId, (merged.get(l.productId) ?? 0) + l.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity })).sort((a, b) => (a.productId < b.productId ? -1 : 1));
}

/** Validates an order's lines; the order subgraph runs the same check before calling inventory. */
export function validateLines(lines: HoldLine[]): HoldLine[] {
  if (lines.length === 0) throw badInput('an order needs at least one item');
  for (const l of lines) {
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY) {
      throw badInput(`quantity must be 1 to ${MAX_QUANTITY} (product ${l.productId})`, { productIds: [l.productId] });
    }
  }
  const merged = normaliseLines(lines);
  if (merged.length > MAX_LINES) throw badInput(`an order may have at most ${MAX_LINES} different products`);
  const over = merged.filter((l) => l.quantity > MAX_QUANTITY);
  if (over.length) throw badInput(`quantity must be 1 to ${MAX_QUANTITY} per product`, { productIds: over.map((l) => l.productId) });
  return merged;
}
