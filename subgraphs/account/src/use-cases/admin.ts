// Admin-only changes: issuing coupons and granting store credit, each with the event that tells
// carts about it, in the same transaction.
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { adminAction } from '../../../../lib/contracts/audit.js';
import { badInput, notFound, userError } from '../../../../lib/contracts/errors.js';
import { normaliseCouponCode } from '../../../../lib/contracts/coupons.js';
import { couponInputProblem, type CouponInput } from '../domain/coupon.js';
import { couponChanged, creditChanged } from '../messaging/account-events.js';
import { CouponEntity, CustomerEntity, type CouponRow, type CustomerRow } from '../persistence/entities.js';
import { moveCredit } from '../persistence/store-credit.js';
import type { AccountDeps } from './deps.js';

export async function issueCoupon(
  { db, transact, config }: Pick<AccountDeps, 'db' | 'transact' | 'config'>,
  input: CouponInput & { customerId?: string | null; actorId: string },
): Promise<CouponRow> {
  const problem = couponInputProblem(input, new Date());
  if (problem) throw badInput(problem);
  if (input.customerId && !(await db.manager.existsBy(CustomerEntity, { id: input.customerId }))) throw badInput('customerId names no customer');
  const coupon: CouponRow = {
    code: normaliseCouponCode(input.code),
    percentOff: input.percentOff ?? null,
    amountOff: input.amountOff ?? null,
    currency: config.STORE_CURRENCY,
    customerId: input.customerId ?? null,
    expiresAt: input.expiresAt ?? null,
    maxRedemptions: input.maxRedemptions ?? null,
    maxRedemptionsPerCustomer: input.maxRedemptionsPerCustomer ?? null,
    public: input.public ?? false,
    redemptions: 0,
    createdAt: new Date(),
  };
  try {
    await transact(async ({ em, enqueue }) => {
      await em.insert(CouponEntity, coupon);
      const off = coupon.percentOff !== null ? `${coupon.percentOff}% off` : `${coupon.amountOff} ${coupon.currency} off`;
      await enqueue(couponChanged(coupon), adminAction(input.actorId, 'issueCoupon', coupon.code, off));
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw userError('CONFLICT', `A coupon with code ${coupon.code} already exists`);
    throw err;
  }
  return coupon;
}

export interface StoreCreditGrant {
  actorId: string;
  customerId: string;
  amount: number;
  currency: string;
}

export async function grantStoreCredit(
  { transact, config }: Pick<AccountDeps, 'transact' | 'config'>,
  { actorId, customerId, amount, currency }: StoreCreditGrant,
): Promise<CustomerRow> {
  if (!Number.isInteger(amount) || amount < 1 || amount > 100_000_000) throw badInput('amount must be a positive whole number of minor units');
  if (currency !== config.STORE_CURRENCY) throw badInput(`currency must be the store currency, ${config.STORE_CURRENCY}`);
  return transact(async ({ em, enqueue }) => {
    const customer = await moveCredit(em, { customerId, delta: amount });
    if (!customer) throw notFound('Customer');
    await enqueue(creditChanged(customer, config.STORE_CURRENCY), adminAction(actorId, 'grantStoreCredit', customerId, `+${amount} ${currency}`));
    return customer;
  });
}
