// Gives back a held coupon and store credit, exactly once: the status change is a conditional
// update, and only the caller that made it returns the coupon and credit.
import type { EntityManager } from 'typeorm';
import { sqlTime, type Database } from '../../../../lib/platform/db/database.js';
import { BenefitHoldEntity, CouponEntity, CustomerEntity, type BenefitHoldStatus } from '../persistence/entities.js';

export async function releaseBenefitsIn(em: EntityManager, orderId: string, to: Extract<BenefitHoldStatus, 'RELEASED' | 'EXPIRED'>): Promise<boolean> {
  // The sweeper only expires holds nobody confirmed; a cancellation releases confirmed ones too.
  const from: BenefitHoldStatus[] = to === 'EXPIRED' ? ['HELD'] : ['HELD', 'CONFIRMED'];
  const hold = await em.findOneBy(BenefitHoldEntity, { orderId });
  if (hold?.status === 'EXPIRED' && to === 'RELEASED') {
    // Already given back by the sweeper; marking it released tells a late order.created that the
    // order is cancelled, so it does not take the coupon and credit again.
    const marked = await em.update(BenefitHoldEntity, { orderId, status: 'EXPIRED' }, { status: 'RELEASED' });
    return !!marked.affected;
  }
  if (!hold || !from.includes(hold.status)) return false;
  const changed = await em
    .createQueryBuilder()
    .update(BenefitHoldEntity)
    .set({ status: to })
    .where('order_id = :orderId AND status IN (:...from)', { orderId, from })
    .execute();
  if (!changed.affected) return false;
  if (hold.couponCode) {
    await em
      .createQueryBuilder()
      .update(CouponEntity)
      .set({ redemptions: () => 'redemptions - 1' })
      .where('code = :code AND redemptions > 0', { code: hold.couponCode })
      .execute();
  }
  if (hold.credit > 0) {
    await em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({ storeCredit: () => `store_credit + ${hold.credit}` })
      .where('id = :id', { id: hold.customerId })
      .execute();
  }
  return true;
}

export function releaseBenefits(db: Database, orderId: string): Promise<boolean> {
  return db.transaction((em) => releaseBenefitsIn(em, orderId, 'RELEASED'));
}

/** Releases holds never confirmed within HOLD_TTL (a crash between the try step and the confirm). */
export async function sweepBenefitHolds(db: Database, now = new Date()): Promise<number> {
  const stale = await db.manager
    .createQueryBuilder(BenefitHoldEntity, 'h')
    .select('h.orderId', 'orderId')
    .where('h.status = :s AND h.expiresAt < :now', { s: 'HELD', now: sqlTime(now) })
    .limit(500)
    .getRawMany<{ orderId: string }>();
  let released = 0;
  for (const { orderId } of stale) {
    if (await db.transaction((em) => releaseBenefitsIn(em, orderId, 'EXPIRED'))) released++;
  }
  return released;
}
