// Admin-only changes: issuing coupons and granting store credit.
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { badInput, notFound, userError } from '../../../../lib/contracts/errors.js';
import { couponInputProblem, normaliseCode, type CouponInput } from '../domain/coupon.js';
import { CouponEntity, CustomerEntity, type CouponRow, type CustomerRow } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';

export async function issueCoupon({ db, config }: Pick<AccountDeps, 'db' | 'config'>, input: CouponInput & { customerId?: string | null }): Promise<CouponRow> {
  const problem = couponInputProblem(input, new Date());
  if (problem) throw badInput(problem);
  if (input.customerId && !(await db.manager.existsBy(CustomerEntity, { id: input.customerId }))) throw badInput('customerId names no customer');
  const coupon: CouponRow = {
    code: normaliseCode(input.code),
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
    await db.transaction((em) => em.insert(CouponEntity, coupon));
  } catch (err) {
    if (isDuplicateKey(err)) throw userError('CONFLICT', `A coupon with code ${coupon.code} already exists`);
    throw err;
  }
  return coupon;
}

export interface StoreCreditGrant {
  customerId: string;
  amount: number;
  currency: string;
}

export async function grantStoreCredit(
  { db, config }: Pick<AccountDeps, 'db' | 'config'>,
  { customerId, amount, currency }: StoreCreditGrant,
): Promise<CustomerRow> {
  if (!Number.isInteger(amount) || amount < 1 || amount > 100_000_000) throw badInput('amount must be a positive whole number of minor units');
  if (currency !== config.STORE_CURRENCY) throw badInput(`currency must be the store currency, ${config.STORE_CURRENCY}`);
  return db.transaction(async (em) => {
    const changed = await em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({ storeCredit: () => `store_credit + ${amount}` })
      .where('id = :id', { id: customerId })
      .execute();
    if (!changed.affected) throw notFound('Customer');
    return em.findOneByOrFail(CustomerEntity, { id: customerId });
  });
}
