// Thin: parse input, call a use case, map rows to the schema.
import { DateTimeResolver } from 'graphql-scalars';
import { canSee, canSeeOrder, requireAdmin, requireUser } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { cartResolvers } from './cart.js';
import { shippingMethod } from './shipping-method.js';
import { cancelOrder } from '../use-cases/cancel-order.js';
import { placeOrder } from '../use-cases/place-order.js';
import { createShippingMethod, listShippingMethods } from '../use-cases/shipping-methods.js';
import { listTaxRates, setTaxRate } from '../use-cases/tax-rates.js';
import type { Context } from '../context.js';

/** An order the user may see, or null: someone else's order reads as one that does not exist. */
async function visibleOrder(ctx: Context, id: string) {
  const order = await ctx.orders.load(id);
  return order && canSeeOrder(ctx.user, { orderId: order.id, customerId: order.customerId }) ? order : null;
}

const orderResolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query: {
    order: (_p, { id }, ctx) => visibleOrder(ctx, id),
    shippingMethods: async (_p, _a, ctx) => (await listShippingMethods(ctx.deps)).map(shippingMethod),
    taxRates: (_p, _a, ctx) => (requireAdmin(ctx.user), listTaxRates(ctx.deps)),
  },
  Mutation: {
    placeOrder: (_p, { input }, ctx) => placeOrder(ctx.deps, { ...input, user: requireUser(ctx.user) }),
    cancelOrder: (_p, { id, reason }, ctx) => cancelOrder(ctx.deps, { user: requireUser(ctx.user), orderId: id, reason }),
    createShippingMethod: async (_p, { input }, ctx) => (requireAdmin(ctx.user), shippingMethod(await createShippingMethod(ctx.deps, input))),
    setTaxRate: (_p, { input }, ctx) => (requireAdmin(ctx.user), setTaxRate(ctx.deps, input)),
  },
  Order: {
    __resolveReference: (ref, ctx) => visibleOrder(ctx, ref.id),
    customer: (o) => (o.guest ? null : { id: o.customerId }),
    items: (o, _a, ctx) => ctx.items.load(o.id),
    statusHistory: (o, _a, ctx) => ctx.history.load(o.id),
    subtotal: (o) => money(o.subtotal, o.currency),
    discount: (o) => money(o.discount, o.currency),
    // The method as it was chosen; its price is what this order pays (0 once free shipping applies).
    shippingMethod: (o) =>
      o.shippingMethodCode ? { code: o.shippingMethodCode, name: o.shippingMethodName ?? o.shippingMethodCode, price: money(o.shipping, o.currency) } : null,
    shipping: (o) => money(o.shipping, o.currency),
    tax: (o) => money(o.tax, o.currency),
    storeCreditApplied: (o) => money(o.storeCreditApplied, o.currency),
    amountDue: (o) => money(o.amountDue, o.currency),
  },
  OrderItem: {
    product: (i) => ({ id: i.productId }),
    unitPrice: (i) => money(i.unitPrice, i.currency),
    lineTotal: (i) => money(i.unitPrice * i.quantity, i.currency),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    orders: (c, _a, ctx) => (canSee(ctx.user, c.id) ? ctx.ordersByCustomer.load(c.id) : []),
  },
};

export const resolvers: Resolvers = {
  ...orderResolvers,
  ...cartResolvers,
  Query: { ...orderResolvers.Query, ...cartResolvers.Query },
  Mutation: { ...orderResolvers.Mutation, ...cartResolvers.Mutation },
};
