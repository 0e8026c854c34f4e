// Thin: map payments to the schema. Order.payment is contributed here.
import { DateTimeResolver } from 'graphql-scalars';
import { canSeeOrder } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    payment: async (o, _a, ctx) => {
      const payment = await ctx.paymentsByOrder.load(o.id);
      return payment && canSeeOrder(ctx.user, payment) ? payment : null;
    },
  },
  Payment: {
    amount: (p) => money(p.amount, p.currency),
    stripeCheckoutSessionId: (p) => p.sessionId,
  },
};
