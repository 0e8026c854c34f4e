// The cart's mutations and its read. Each change is one conditional UPDATE on the cart's version
// (no lock held while the read models are consulted), retried when another change came first; a
// cart that has become an order changes no more. Nothing here holds stock: holds are taken only
// at checkout.
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { validateAddress, type AddressInput } from '../../../../lib/contracts/address.js';
import { normaliseCouponCode } from '../../../../lib/contracts/coupons.js';
import { validateEmail } from '../../../../lib/contracts/email.js';
import { badInput, notFound, unauthenticated, userError } from '../../../../lib/contracts/errors.js';
import type { HoldLine } from '../../../../lib/contracts/order-lines.js';
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { CART_COUPON_MESSAGES, cartCouponProblem, isExpired, mayUseCart, ownerAfterChange, withQuantities } from '../domain/cart.js';
import { shipsTo, validateShippingMethodCode } from '../domain/checkout-details.js';
import { validCouponCode } from '../domain/checkout-request.js';
import { CartEntity, CatalogCouponEntity, CatalogProductEntity, type CartRow } from '../persistence/cart-entities.js';
import { ShippingMethodEntity } from '../persistence/entities.js';
import type { OrderDeps } from './deps.js';

export type CartDeps = Pick<OrderDeps, 'db' | 'config'>;

/** The user's (or an anonymous) cart, or null: missing, expired and someone else's read alike. */
export async function findCart({ db, config }: CartDeps, { cartId, user }: { cartId: string; user: AuthUser | null }): Promise<CartRow | null> {
  if (cartId.length > 64) return null;
  const cart = await db.manager.findOneBy(CartEntity, { id: cartId });
  return cart && mayUseCart(cart, user) && !isExpired(cart, new Date(), config.CART_TTL) ? cart : null;
}

export async function createCart(
  deps: CartDeps,
  { user, lines, email }: { user: AuthUser | null; lines?: HoldLine[] | null; email?: string | null },
): Promise<CartRow> {
  const now = new Date();
  const empty: CartRow = {
    id: randomUUID(),
    ownerId: user?.id ?? null,
    lines: [],
    email: null,
    shippingAddress: null,
    billingAddress: null,
    shippingMethodCode: null,
    couponCode: null,
    useStoreCredit: false,
    orderId: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const cart: CartRow = {
    ...empty,
    lines: lines?.length ? await knownLines(deps, withQuantities([], lines)) : [],
    email: email?.trim() ? validateEmail(email) : null,
  };
  await deps.db.transaction((em) => em.insert(CartEntity, cart));
  return cart;
}

type Change = (cart: CartRow) => Promise<Partial<CartRow>> | Partial<CartRow>;

/** Applies a change to a cart the user may use; the signed-in user becomes its owner. */
async function changeCart(deps: CartDeps, cartId: string, user: AuthUser | null, change: Change): Promise<CartRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cart = await findCart(deps, { cartId, user });
    if (!cart) throw notFound('Cart');
    if (cart.orderId) throw userError('CONFLICT', 'This cart has been checked out; start a new cart', { orderId: cart.orderId });
    const patch = await change(cart);
    const next: CartRow = { ...cart, ...patch, ownerId: ownerAfterChange(cart, user), version: cart.version + 1, updatedAt: new Date() };
    const { id: _id, createdAt: _created, ...columns } = next;
    const done = await deps.db.transaction((em) =>
      em
        .createQueryBuilder()
        .update(CartEntity)
        .set(columns)
        .where('id = :id AND version = :version AND order_id IS NULL', { id: cart.id, version: cart.version })
        .execute(),
    );
    if (done.affected) return next;
  }
  throw userError('CONFLICT', 'This cart is being changed by another request; try again');
}

/** Lines whose products the catalog knows; NOT_FOUND naming the others. */
async function knownLines({ db }: CartDeps, lines: HoldLine[]): Promise<HoldLine[]> {
  const ids = lines.map((l) => l.productId);
  if (!ids.length) return lines;
  const known = new Set((await db.manager.findBy(CatalogProductEntity, { productId: In(ids) })).map((p) => p.productId));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw userError('NOT_FOUND', 'Product not found', { productIds: unknown });
  return lines;
}

export interface CartCall {
  cartId: string;
  user: AuthUser | null;
}

export const setCartLines = (deps: CartDeps, { lines, ...call }: CartCall & { lines: HoldLine[] }) =>
  changeCart(deps, call.cartId, call.user, async (cart) => {
    const added = lines.filter((l) => l.quantity > 0);
    await knownLines(deps, withQuantities([], added));
    return { lines: withQuantities(cart.lines, lines) };
  });

export const setCartEmail = (deps: CartDeps, { email, ...call }: CartCall & { email: string }) =>
  changeCart(deps, call.cartId, call.user, () => ({ email: validateEmail(email) }));

/** A chosen method that does not ship to the new address is dropped: the cart shows what can be bought. */
export const setShippingAddress = (deps: CartDeps, { address, ...call }: CartCall & { address: AddressInput }) =>
  changeCart(deps, call.cartId, call.user, async (cart) => {
    const shippingAddress = validateAddress(address, 'address');
    const method = cart.shippingMethodCode ? await deps.db.manager.findOneBy(ShippingMethodEntity, { code: cart.shippingMethodCode }) : null;
    return { shippingAddress, shippingMethodCode: method && shipsTo(method, shippingAddress.country) ? method.code : null };
  });

export const setBillingAddress = (deps: CartDeps, { address, ...call }: CartCall & { address: AddressInput }) =>
  changeCart(deps, call.cartId, call.user, () => ({ billingAddress: validateAddress(address, 'address') }));

export const setShippingMethod = (deps: CartDeps, { code, ...call }: CartCall & { code: string }) =>
  changeCart(deps, call.cartId, call.user, async (cart) => {
    const wanted = validateShippingMethodCode(code, 'code');
    const method = await deps.db.manager.findOneBy(ShippingMethodEntity, { code: wanted });
    if (!method) throw badInput(`Shipping method ${wanted} does not exist`, { field: 'code' });
    const country = cart.shippingAddress?.country;
    if (country && !shipsTo(method, country)) throw badInput(`Shipping method ${wanted} does not ship to ${country}`, { field: 'code' });
    return { shippingMethodCode: method.code };
  });

export const applyCoupon = (deps: CartDeps, { code, ...call }: CartCall & { code: string }) =>
  changeCart(deps, call.cartId, call.user, async (cart) => {
    const couponCode = normaliseCouponCode(validCouponCode(code) ?? '');
    if (!couponCode) throw badInput('code must not be blank', { field: 'code' });
    const coupon = await deps.db.manager.findOneBy(CatalogCouponEntity, { code: couponCode });
    const problem = cartCouponProblem(coupon, ownerAfterChange(cart, call.user), deps.config.STORE_CURRENCY, new Date());
    if (problem) throw userError('COUPON_INVALID', CART_COUPON_MESSAGES[problem], { couponCode });
    return { couponCode };
  });

export const removeCoupon = (deps: CartDeps, call: CartCall) => changeCart(deps, call.cartId, call.user, () => ({ couponCode: null }));

/** Store credit belongs to an account: only a signed-in customer's cart may use it. */
export const useStoreCredit = (deps: CartDeps, { use, ...call }: CartCall & { use: boolean }) =>
  changeCart(deps, call.cartId, call.user, () => {
    if (use && !call.user) throw unauthenticated();
    return { useStoreCredit: use };
  });

/** Deletes carts idle for longer than CART_TTL; returns how many. */
export async function deleteIdleCarts({ db, config }: CartDeps, { now }: { now: Date }): Promise<number> {
  const cutoff = new Date(now.getTime() - config.CART_TTL);
  const r = await db.transaction((em) =>
    em
      .createQueryBuilder()
      .delete()
      .from(CartEntity)
      .where('updated_at <= :cutoff', { cutoff: sqlTime(cutoff) })
      .execute(),
  );
  return r.affected ?? 0;
}
