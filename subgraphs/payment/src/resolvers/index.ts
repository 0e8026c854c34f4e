// Thin: map payments to the schema. Order.payment is contributed here.
import { DateTimeResolver } from 'graphql-scalars';
import { canSeeOrder, requireAdmin } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { amountRefunded } from '../domain/refunds.js';
import { refundOrder } from '../use-cases/refund-order.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Mutation: {
    refundOrder: (_p, { orderId, amount, reason }, ctx) => refundOrder(ctx.deps, { actorId: requireAdmin(ctx.user).id, orderId, amount, reason }),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    payment: async (o, _a, ctx) => {
      const payment = await ctx.paymentsByOrder.load(o.id);
      return payment && canSeeOrder(ctx.user, payment) ? payment : null;
    },
  },
  Payment: {
    // A live push's Payment, by the id the order subgraph provided (its other fields come from here).
    __resolveReference: async (ref, ctx) => {
      const payment = await ctx.paymentsById.load(ref.id);
      return payment && canSeeOrder(ctx.user, payment) ? payment : null;
    },
    amount: (p) => money(p.amount, p.currency),
    stripeCheckoutSessionId: (p) => p.sessionId,
    refunds: (p, _a, ctx) => ctx.refundsByPayment.load(p.id),
    amountRefunded: async (p, _a, ctx) => money(amountRefunded(await ctx.refundsByPayment.load(p.id)), p.currency),
  },
  Refund: {
    amount: (r) => money(r.amount, r.currency),
  },
};
