// What a coupon takes off, shared by account (which decides at checkout) and the order subgraph's
// cart (which shows it before): one rule, so the cart's discount is the one the order gets.

export interface CouponTerms {
  percentOff: number | null;
  amountOff: number | null;
}

/** What the coupon takes off a subtotal, in minor units; never more than the subtotal. */
export function couponDiscount(coupon: CouponTerms, subtotal: number): number {
  const raw = coupon.percentOff !== null ? Math.floor((subtotal * coupon.percentOff) / 100) : (coupon.amountOff ?? 0);
  return Math.max(0, Math.min(raw, subtotal));
}

export const normaliseCouponCode = (code: string) => code.trim().toUpperCase();
