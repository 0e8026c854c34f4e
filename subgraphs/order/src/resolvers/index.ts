// Thin: parse input, call a use case, map rows to the schema.
import { DateTimeResolver } from 'graphql-scalars';
import { canSee, canSeeOrder, requireAdmin, requireUser } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { paymentLinkOf } from '../domain/payment-link.js';
import { cartResolvers } from './cart.js';
import { shippingMethod } from './shipping-method.js';
import { webhookResolvers } from './webhooks.js';
import { cancelOrder } from '../use-cases/cancel-order.js';
import { listOrders } from '../use-cases/list-orders.js';
import { placeOrder } from '../use-cases/place-order.js';
import { createShippingMethod, listShippingMethods } from '../use-cases/shipping-methods.js';
import { listTaxRates, setTaxRate } from '../use-cases/tax-rates.js';
import type { Context } from '../context.js';
import { historyAsOf, subscriptionResolvers } from '../subscriptions/resolvers.js';

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
    orders: async (_p, args, ctx) => {
      const page = await listOrders(ctx.deps, { ...args, user: ctx.user });
      // Order fields resolved later in this request (and the gateway's entity fetches) need no query.
      for (const o of page.nodes) ctx.orders.prime(o.id, o);
      return page;
    },
    taxRates: (_p, _a, ctx) => (requireAdmin(ctx.user), listTaxRates(ctx.deps)),
  },
  Mutation: {
    placeOrder: (_p, { input }, ctx) => placeOrder(ctx.deps, { ...input, user: requireUser(ctx.user) }),
    cancelOrder: (_p, { id, reason }, ctx) => cancelOrder(ctx.deps, { user: requireUser(ctx.user), orderId: id, reason }),
    createShippingMethod: async (_p, { input }, ctx) => shippingMethod(await createShippingMethod(ctx.deps, { ...input, actorId: requireAdmin(ctx.user).id })),
    setTaxRate: (_p, { input }, ctx) => setTaxRate(ctx.deps, { ...input, actorId: requireAdmin(ctx.user).id }),
  },
  Order: {
    __resolveReference: (ref, ctx) => visibleOrder(ctx, ref.id),
    customer: (o) => (o.guest ? null : { id: o.customerId }),
    items: (o, _a, ctx) => ctx.items.load(o.id),
    statusHistory: async (o, _a, ctx) => historyAsOf(o, await ctx.history.load(o.id)),
    subtotal: (o) => money(o.subtotal, o.currency),
    discount: (o) => money(o.discount, o.currency),
    // The method as it was chosen; its price is what this order pays (0 once free shipping applies).
    shippingMethod: (o) =>
      o.shippingMethodCode ? { code: o.shippingMethodCode, name: o.shippingMethodName ?? o.shippingMethodCode, price: money(o.shipping, o.currency) } : null,
    shipping: (o) => money(o.shipping, o.currency),
    tax: (o) => money(o.tax, o.currency),
    storeCreditApplied: (o) => money(o.storeCreditApplied, o.currency),
    amountDue: (o) => money(o.amountDue, o.currency),
    // External: the gateway asks this subgraph for it only where orderStatusChanged provides it.
    payment: (o) => {
      const link = paymentLinkOf(o);
      return link && { id: link.paymentId, stripeCheckoutSessionId: link.sessionId, checkoutUrl: link.checkoutUrl };
    },
  },
  OrderConnection: {
    totalCount: (page) => page.count(),
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
  ...(subscriptionResolvers as Resolvers),
  ...cartResolvers,
  Query: { ...orderResolvers.Query, ...cartResolvers.Query, ...webhookResolvers.Query },
  Mutation: { ...orderResolvers.Mutation, ...cartResolvers.Mutation, ...webhookResolvers.Mutation },
};
