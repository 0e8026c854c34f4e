// The coupons a customer is shown: only those issued to them or marked public (an open coupon that
// is not public still works when its code is typed, but is not handed to everyone who signs up),
// and only while they can still use them.
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { CouponEntity, type CouponRow } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';

export function usableCoupons({ db }: Pick<AccountDeps, 'db'>, { customerId }: { customerId: string }): Promise<CouponRow[]> {
  return db.manager
    .createQueryBuilder(CouponEntity, 'k')
    .where('(k.customerId = :id OR (k.customerId IS NULL AND k.public = :public))', { id: customerId, public: 1 })
    .andWhere('(k.expiresAt IS NULL OR k.expiresAt > :now)', { now: sqlTime(new Date()) })
    .andWhere('(k.maxRedemptions IS NULL OR k.redemptions < k.maxRedemptions)')
    .andWhere(
      `(k.maxRedemptionsPerCustomer IS NULL OR k.maxRedemptionsPerCustomer > (SELECT COUNT(*) FROM benefit_holds h
        WHERE h.customer_id = :id AND h.coupon_code = k.code AND h.status NOT IN ('RELEASED', 'EXPIRED')))`,
    )
    .orderBy('k.code')
    .getMany();
}
