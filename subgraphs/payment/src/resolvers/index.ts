// Thin: map payments to the schema. Order.payment is contributed here.
import { DateTimeResolver } from 'graphql-scalars';
import { canSeeOrder, requireAdmin } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { amountRefunded } from '../domain/refunds.js';
import { refundOrder } from '../use-cases/refund-order.js';
import type { PaymentRow } from '../persistence/entities.js';
import type { Context } from '../context.js';

/** A payment the user may see (the order is theirs, or they are an admin), else null. */
const visible = async (ctx: Context, loading: Promise<PaymentRow | null>) => {
  const payment = await loading;
  return payment && canSeeOrder(ctx.user, payment) ? payment : null;
};

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Mutation: {
    refundOrder: (_p, { orderId, amount, reason }, ctx) => refundOrder(ctx.deps, { actorId: requireAdmin(ctx.user).id, orderId, amount, reason }),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    payment: (o, _a, ctx) => visible(ctx, ctx.paymentsByOrder.load(o.id)),
  },
  Payment: {
    // A live push's Payment, by the id the order subgraph provided (its other fields come from here).
    __resolveReference: (ref, ctx) => visible(ctx, ctx.paymentsById.load(ref.id)),
    amount: (p) => money(p.amount, p.currency),
    stripeCheckoutSessionId: (p) => p.sessionId,
    refunds: (p, _a, ctx) => ctx.refundsByPayment.load(p.id),
    amountRefunded: async (p, _a, ctx) => money(amountRefunded(await ctx.refundsByPayment.load(p.id)), p.currency),
  },
  Refund: {
    amount: (r) => money(r.amount, r.currency),
  },
};
