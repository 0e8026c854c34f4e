// What the Stripe Checkout Session charges, line by line: one line per order item (its total after
// the coupon), then shipping and tax, each less its share of the store credit. Stripe line items
// can't be negative and Stripe adds them up itself, so every line is an amount at quantity 1 and
// the lines add up to the order's amountDue exactly (the amount the webhook checks).
import type { EventPayloads } from '../../../../lib/contracts/events.js';
import { shareOut } from '../../../../lib/contracts/shares.js';

export interface CheckoutLine {
  name: string;
  /** Minor units, ≥ 1. */
  amount: number;
}

/** Stripe's limit on line items in one payment-mode session. */
export const MAX_CHECKOUT_LINES = 100;

type ChargedOrder = Pick<
  EventPayloads['order.created'],
  'items' | 'discount' | 'amountDue' | 'shipping' | 'tax' | 'taxIncluded' | 'shippingMethod' | 'storeCreditApplied'
>;

export function checkoutLinesOf(order: ChargedOrder): CheckoutLine[] {
  const goods = order.items.map((i) => i.unitPrice * i.quantity);
  const discounts = shareOut(Math.min(order.discount, sum(goods)), goods);
  let lines: CheckoutLine[] = order.items.map((item, i) => ({ name: `${item.quantity} × ${item.name}`, amount: goods[i]! - discounts[i]! }));
  if (lines.length > MAX_CHECKOUT_LINES - 2) {
    // More items than Stripe takes: one line for all of them.
    const count = order.items.reduce((a, i) => a + i.quantity, 0);
    lines = [{ name: `${count} items`, amount: sum(lines.map((l) => l.amount)) }];
  }
  if (order.shipping > 0) lines.push({ name: shippingLineName(order.shippingMethod?.name), amount: order.shipping });
  // Tax included in the prices is already part of the item lines.
  if (order.tax > 0 && !order.taxIncluded) lines.push({ name: 'Tax', amount: order.tax });
  // Store credit pays last, after tax. Totals that don't add up are refused (the event is retried,
  // then dead-lettered) rather than charged.
  const beforeCredit = sum(lines.map((l) => l.amount));
  if (beforeCredit - order.storeCreditApplied !== order.amountDue || order.storeCreditApplied < 0) {
    throw new Error(`order totals disagree: lines ${beforeCredit} − credit ${order.storeCreditApplied} ≠ amountDue ${order.amountDue}`);
  }
  const credits = shareOut(
    order.storeCreditApplied,
    lines.map((l) => l.amount),
  );
  return lines.map((l, i) => ({ ...l, amount: l.amount - credits[i]! })).filter((l) => l.amount > 0);
}

const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

/** "Standard shipping" as it is; "Express" as "Shipping: Express", so the customer knows what it is. */
const shippingLineName = (method: string | undefined) => (!method ? 'Shipping' : /shipping/i.test(method) ? method : `Shipping: ${method}`);
