// Thin: the cart's queries and mutations parse, call a use case, and price the cart they return.
// An order token reads its order and nothing else, so carts refuse it (customerOrAnonymous).
import { customerOrAnonymous } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import type { Context } from '../context.js';
import type { CartRow } from '../persistence/cart-entities.js';
import {
  applyCoupon,
  createCart,
  findCart,
  removeCoupon,
  setBillingAddress,
  setCartEmail,
  setCartLines,
  setShippingAddress,
  setShippingMethod,
  useStoreCredit,
  type CartCall,
} from '../use-cases/carts.js';
import { checkoutCart } from '../use-cases/checkout-cart.js';
import { priceCart } from '../use-cases/price-cart.js';
import { shippingMethod } from './shipping-method.js';

const call = (ctx: Context, cartId: string): CartCall => ({ cartId, user: customerOrAnonymous(ctx.user) });
const priced = async (ctx: Context, cart: Promise<CartRow>) => priceCart(ctx.deps, await cart);
const visibleCart = async (ctx: Context, id: string) => {
  const cart = await findCart(ctx.deps, call(ctx, id));
  return cart && priceCart(ctx.deps, cart);
};

export const cartResolvers: Resolvers = {
  Query: {
    cart: (_p, { id }, ctx) => visibleCart(ctx, id),
  },
  Mutation: {
    createCart: (_p, { input }, ctx) => priced(ctx, createCart(ctx.deps, { user: customerOrAnonymous(ctx.user), ...input })),
    setCartLines: (_p, { cartId, lines }, ctx) => priced(ctx, setCartLines(ctx.deps, { ...call(ctx, cartId), lines })),
    setCartEmail: (_p, { cartId, email }, ctx) => priced(ctx, setCartEmail(ctx.deps, { ...call(ctx, cartId), email })),
    setShippingAddress: (_p, { cartId, address }, ctx) => priced(ctx, setShippingAddress(ctx.deps, { ...call(ctx, cartId), address })),
    setBillingAddress: (_p, { cartId, address }, ctx) => priced(ctx, setBillingAddress(ctx.deps, { ...call(ctx, cartId), address })),
    setShippingMethod: (_p, { cartId, code }, ctx) => priced(ctx, setShippingMethod(ctx.deps, { ...call(ctx, cartId), code })),
    applyCoupon: (_p, { cartId, code }, ctx) => priced(ctx, applyCoupon(ctx.deps, { ...call(ctx, cartId), code })),
    removeCoupon: (_p, { cartId }, ctx) => priced(ctx, removeCoupon(ctx.deps, call(ctx, cartId))),
    useStoreCredit: (_p, { cartId, use }, ctx) => priced(ctx, useStoreCredit(ctx.deps, { ...call(ctx, cartId), use })),
    checkoutCart: (_p, { cartId, idempotencyKey }, ctx) => checkoutCart(ctx.deps, { ...call(ctx, cartId), idempotencyKey }),
  },
  Cart: {
    __resolveReference: (ref, ctx) => visibleCart(ctx, ref.id),
    id: (c) => c.cart.id,
    email: (c) => c.cart.email,
    shippingAddress: (c) => c.cart.shippingAddress,
    billingAddress: (c) => c.cart.billingAddress,
    // Free shipping shows as the method's price of 0, as on the order.
    shippingMethod: (c) => c.shippingMethod && { ...shippingMethod(c.shippingMethod), price: money(c.totals.shipping, c.currency) },
    availableShippingMethods: (c) => c.availableShippingMethods.map(shippingMethod),
    couponCode: (c) => c.cart.couponCode,
    useStoreCredit: (c) => c.cart.useStoreCredit,
    order: (c, _a, ctx) => (c.cart.orderId ? ctx.orders.load(c.cart.orderId) : null),
    updatedAt: (c) => c.cart.updatedAt,
  },
  CartLine: {
    product: (l) => ({ id: l.productId }),
    unitPrice: (l) => money(l.unitPrice, l.currency),
    lineTotal: (l) => money(l.unitPrice * l.quantity, l.currency),
  },
  CartTotals: {
    subtotal: (t) => money(t.subtotal, t.currency),
    discount: (t) => money(t.discount, t.currency),
    shipping: (t) => money(t.shipping, t.currency),
    tax: (t) => money(t.tax, t.currency),
    storeCreditApplied: (t) => money(t.storeCreditApplied, t.currency),
    total: (t) => money(t.amountDue, t.currency),
  },
};
