// Thin: parse input, call a use case, map rows to the schema.
import { DateTimeResolver } from 'graphql-scalars';
import { canSee, requireAdmin } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { grantStoreCredit, issueCoupon } from '../use-cases/admin.js';
import { listAuditLog } from '../use-cases/audit-log.js';
import { usableCoupons } from '../use-cases/coupons.js';
import { logIn } from '../use-cases/log-in.js';
import { signUp } from '../use-cases/sign-up.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query: {
    me: (_p, _a, ctx) => (ctx.user && ctx.user.role !== 'ORDER' ? ctx.customers.load(ctx.user.id) : null),
    auditLog: (_p, args, ctx) => (requireAdmin(ctx.user), listAuditLog(ctx.deps, args)),
  },
  Mutation: {
    signUp: (_p, args, ctx) => signUp(ctx.deps, { ...args, clientAddress: ctx.clientAddress }),
    logIn: (_p, args, ctx) => logIn(ctx.deps, { ...args, clientAddress: ctx.clientAddress }),
    issueCoupon: (_p, { input }, ctx) => {
      const admin = requireAdmin(ctx.user);
      return issueCoupon(ctx.deps, { ...input, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null, actorId: admin.id });
    },
    grantStoreCredit: (_p, args, ctx) => grantStoreCredit(ctx.deps, { ...args, actorId: requireAdmin(ctx.user).id }),
  },
  Customer: {
    // Every subgraph checks the token itself: a customer resolves only for its owner or an admin.
    __resolveReference: async (ref, ctx) => (canSee(ctx.user, ref.id) ? ctx.customers.load(ref.id) : null),
    storeCredit: (c, _a, ctx) => money(c.storeCredit, ctx.deps.config.STORE_CURRENCY),
    coupons: (c, _a, ctx) => usableCoupons(ctx.deps, { customerId: c.id }),
  },
  Coupon: {
    amountOff: (c) => (c.amountOff === null ? null : money(c.amountOff, c.currency)),
  },
};
