// checkoutCart: the cart becomes an order through the same checkout steps as placeOrder
// (checkout.ts). The order's id follows from the cart's, so two checkouts of one cart (a double
// click, two tabs, a retry after a lost answer) make one order; the cart is marked checked out in
// the order's own transaction, and only if no change reached it since it was read.
import type { EntityManager } from 'typeorm';
import { notFound, userError } from '../../../../lib/contracts/errors.js';
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { checkoutProblem, detailsOf, guestIdFor, orderIdForCart } from '../domain/cart.js';
import { checkShippingMethod } from '../domain/checkout-details.js';
import { checkoutFingerprint, validIdempotencyKey } from '../domain/checkout-request.js';
import { CartEntity, type CartRow } from '../persistence/cart-entities.js';
import { OrderEntity, type OrderRow } from '../persistence/entities.js';
import { checkout, type CheckoutDeps } from './checkout.js';
import { findCart } from './carts.js';
import type { OrderDeps } from './deps.js';
import { priceCart } from './price-cart.js';

export type CheckoutCartDeps = CheckoutDeps & Pick<OrderDeps, 'tokens'>;

export interface CartCheckoutResult {
  order: OrderRow;
  orderToken: string;
}

export async function checkoutCart(
  deps: CheckoutCartDeps,
  input: { cartId: string; user: AuthUser | null; idempotencyKey?: string | null },
): Promise<CartCheckoutResult> {
  const { user } = input;
  const idempotencyKey = validIdempotencyKey(input.idempotencyKey);
  const cart = await findCart(deps, { cartId: input.cartId, user });
  if (!cart) throw notFound('Cart');
  if (cart.orderId) return withToken(deps, await orderOf(deps, cart.orderId));
  const priced = await priceCart(deps, cart);
  // The owner buys; an anonymous cart checked out by a signed-in customer becomes theirs.
  const customerId = cart.ownerId ?? user?.id ?? null;
  const problem = checkoutProblem(cart, customerId === null, priced.needsShipping);
  if (problem) throw problem;
  const details = detailsOf(cart);
  const method = priced.shippingMethod;
  checkShippingMethod(method, details);
  const order = await checkout(deps, {
    orderId: orderIdForCart(cart.id),
    buyer: customerId ? { customerId, guest: false } : { customerId: guestIdFor(cart.email!), guest: true },
    lines: cart.lines,
    couponCode: cart.couponCode,
    useStoreCredit: cart.useStoreCredit && customerId !== null,
    details,
    method,
    idempotencyKey,
    // The order is the cart's whatever the key: a retried checkout must find it.
    inputHash: checkoutFingerprint(cart.lines, cart.couponCode, cart.useStoreCredit, details),
    alsoInTransaction: (tx, placed) => markCheckedOut(tx.em, cart, placed.id, customerId),
  });
  return withToken(deps, order);
}

/** Only the version that was priced may become the order: a change in between fails the checkout, which releases its holds. */
async function markCheckedOut(em: EntityManager, cart: CartRow, orderId: string, ownerId: string | null) {
  const r = await em
    .createQueryBuilder()
    .update(CartEntity)
    .set({ orderId, ownerId, version: cart.version + 1, updatedAt: new Date() })
    .where('id = :id AND version = :version AND order_id IS NULL', { id: cart.id, version: cart.version })
    .execute();
  if (!r.affected) throw userError('CONFLICT', 'The cart changed during checkout; check the totals and check out again');
}

async function orderOf({ db }: CheckoutCartDeps, orderId: string): Promise<OrderRow> {
  return db.manager.findOneByOrFail(OrderEntity, { id: orderId });
}

/** The order and a token that reads it (and follows its status) without signing in. */
async function withToken({ tokens, config }: CheckoutCartDeps, order: OrderRow): Promise<CartCheckoutResult> {
  return { order, orderToken: await tokens.sign({ id: order.id, role: 'ORDER' }, config.ORDER_TOKEN_TTL) };
}
