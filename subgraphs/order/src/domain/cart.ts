// Pure rules for carts: who may use one, how its lines change, which coupon it can show, and what
// it still lacks before checkout. Modelled on Shopify's Storefront Cart: an anonymous cart's id is
// its only key; a signed-in customer who creates or changes it makes it theirs.
import { v5 as uuidv5 } from 'uuid';
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { badInput } from '../../../../lib/contracts/errors.js';
import { MAX_LINES, MAX_QUANTITY, type HoldLine } from '../../../../lib/contracts/order-lines.js';
import type { CartRow, CatalogCouponRow } from '../persistence/cart-entities.js';
import { shippingProblem, type CheckoutDetails } from './checkout-details.js';

/** A customer or admin may use their own carts and anonymous ones; admins any. */
export function mayUseCart(cart: Pick<CartRow, 'ownerId'>, user: AuthUser | null): boolean {
  return cart.ownerId === null || (!!user && (user.role === 'ADMIN' || user.id === cart.ownerId));
}

/** Who owns the cart after this user changed it: an anonymous cart becomes the signed-in customer's. */
export const ownerAfterChange = (cart: Pick<CartRow, 'ownerId'>, user: AuthUser | null): string | null => cart.ownerId ?? user?.id ?? null;

/** An idle cart is gone: read as missing, and deleted by the sweeper. */
export const isExpired = (cart: Pick<CartRow, 'updatedAt'>, now: Date, ttlMs: number) => cart.updatedAt.getTime() <= now.getTime() - ttlMs;

/**
 * The cart's lines after setting each given product's quantity (0 removes it); products keep the
 * place they were first added at. BAD_USER_INPUT for a bad quantity or too many products.
 */
export function withQuantities(current: HoldLine[], changes: HoldLine[]): HoldLine[] {
  const lines = new Map(current.map((l) => [l.productId, l.quantity]));
  for (const { productId, quantity } of changes) {
    if (!productId || productId.length > 64) throw badInput('productId must be 1 to 64 characters', { field: 'productId' });
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
      throw badInput(`quantity must be 0 (remove) to ${MAX_QUANTITY} (product ${productId})`, { productIds: [productId] });
    }
    if (quantity === 0) lines.delete(productId);
    else lines.set(productId, quantity);
  }
  if (lines.size > MAX_LINES) throw badInput(`a cart may have at most ${MAX_LINES} different products`);
  return [...lines].map(([productId, quantity]) => ({ productId, quantity }));
}

export type CartCouponProblem = 'unknown' | 'expired' | 'not-yours' | 'currency';

export const CART_COUPON_MESSAGES: Record<CartCouponProblem, string> = {
  unknown: 'This coupon code does not exist',
  expired: 'This coupon has expired',
  'not-yours': 'This coupon belongs to another customer',
  currency: 'This coupon is for another currency',
};

/**
 * What the cart can tell about a coupon from the read model. Redemption limits it cannot see:
 * account decides those at checkout, which may still refuse the coupon (COUPON_INVALID).
 */
export function cartCouponProblem(coupon: CatalogCouponRow | null, ownerId: string | null, currency: string, now: Date): CartCouponProblem | null {
  if (!coupon) return 'unknown';
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (coupon.customerId && coupon.customerId !== ownerId) return 'not-yours';
  if (coupon.amountOff !== null && coupon.currency !== currency) return 'currency';
  return null;
}

export const detailsOf = (cart: CartRow): CheckoutDetails => ({
  email: cart.email,
  shippingAddress: cart.shippingAddress,
  billingAddress: cart.billingAddress,
  shippingMethod: cart.shippingMethodCode,
});

/** What the cart still lacks before checkout, as BAD_USER_INPUT naming it; null when ready. */
export function checkoutProblem(cart: CartRow, guest: boolean, needsShipping: boolean): Error | null {
  if (cart.lines.length === 0) return badInput('The cart is empty', { field: 'lines' });
  if (guest && !cart.email) return badInput('email is required to check out without signing in', { field: 'email' });
  return shippingProblem(needsShipping, detailsOf(cart));
}

/** A cart becomes exactly one order: its id follows from the cart's, so a second checkout finds the first. */
const CART_ORDER_NAMESPACE = 'b7d0c3a2-5e1f-4c8b-9a6d-2f4e8c1b7a93';
export const orderIdForCart = (cartId: string) => uuidv5(`cart\n${cartId}`, CART_ORDER_NAMESPACE);

/**
 * A guest's stand-in customer id, the same for every checkout with the same email: open-order
 * limits and per-customer coupon limits count per email. No account has such an id.
 */
const GUEST_NAMESPACE = '0b5e7f4a-8d2c-4e6b-a1f3-9c7d5e2b4a18';
export const guestIdFor = (email: string) => uuidv5(`guest\n${email.toLowerCase()}`, GUEST_NAMESPACE);
