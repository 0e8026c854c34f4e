// Thin: parse input, call a use case, map rows to the schema.
import { DateTimeResolver } from 'graphql-scalars';
import { canSee, requireAdmin } from '../../../../lib/auth.js';
import { sqlTime } from '../../../../lib/db/database.js';
import { money } from '../../../../lib/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { CouponEntity } from '../persistence/entities.js';
import { grantStoreCredit, issueCoupon } from '../use-cases/admin.js';
import { logIn, signUp } from '../use-cases/sign-up.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query: {
    me: (_p, _a, ctx) => (ctx.user ? ctx.customers.load(ctx.user.id) : null),
  },
  Mutation: {
    signUp: (_p, args, ctx) => signUp(ctx.runtime.db, ctx.runtime.tokens, args),
    logIn: (_p, args, ctx) => logIn(ctx.runtime.db, ctx.runtime.tokens, args),
    issueCoupon: (_p, { input }, ctx) => {
      requireAdmin(ctx.user);
      return issueCoupon(ctx.runtime.db, ctx.runtime.config, { ...input, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null });
    },
    grantStoreCredit: (_p, args, ctx) => {
      requireAdmin(ctx.user);
      return grantStoreCredit(ctx.runtime.db, ctx.runtime.config, args.customerId, args.amount, args.currency);
    },
  },
  Customer: {
    // Every subgraph checks the token itself: a customer resolves only for its owner or an admin.
    __resolveReference: async (ref, ctx) => (canSee(ctx.user, ref.id) ? ctx.customers.load(ref.id) : null),
    storeCredit: (c, _a, ctx) => money(c.storeCredit, ctx.runtime.config.STORE_CURRENCY),
    coupons: (c, _a, ctx) =>
      ctx.runtime.db.manager
        .createQueryBuilder(CouponEntity, 'k')
        .where('(k.customerId IS NULL OR k.customerId = :id)', { id: c.id })
        .andWhere('(k.expiresAt IS NULL OR k.expiresAt > :now)', { now: sqlTime(new Date()) })
        .andWhere('(k.maxRedemptions IS NULL OR k.redemptions < k.maxRedemptions)')
        .orderBy('k.code')
        .getMany(),
  },
  Coupon: {
    amountOff: (c) => (c.amountOff === null ? null : money(c.amountOff, c.currency)),
  },
};
