// Benefit holds for the holds module: one row per order with the coupon and store credit it took,
// and the statements that take and give them back. A coupon redemption is a conditional increment
// (its limits hold under concurrency); credit is debited under the customer row's lock. Every
// credit change tells carts the new balance (store-credit.ts), in the store currency.
import type { EntityManager } from 'typeorm';
import { withRowLock } from '../../../../lib/platform/db/database.js';
import { GIVEN_BACK_STATUSES, type HoldKind } from '../../../../lib/platform/holds/index.js';
import { BenefitHoldEntity, CouponEntity, CustomerEntity, type BenefitHoldRow, type CustomerRow } from './entities.js';
import { changeCredit } from './store-credit.js';

/** The hold kind; credit given back is announced in storeCurrency, which every balance is in. */
export const benefitHoldsIn = (storeCurrency: string): HoldKind<BenefitHoldRow> => ({
  entity: BenefitHoldEntity,
  async giveBack(em, hold) {
    if (hold.couponCode) {
      await em
        .createQueryBuilder()
        .update(CouponEntity)
        .set({ redemptions: () => 'redemptions - 1' })
        .where('code = :code AND redemptions > 0', { code: hold.couponCode })
        .execute();
    }
    // Read again under the row's lock: order.created may have given back unused credit since the
    // caller read the row, and what remains held is what goes back.
    const credit =
      (await withRowLock(em.createQueryBuilder(BenefitHoldEntity, 'h').where('h.orderId = :orderId', { orderId: hold.orderId })).getOne())?.credit ?? 0;
    if (credit > 0) await changeCredit(em, { customerId: hold.customerId, delta: credit, currency: storeCurrency });
  },
});

/** Holds whose credit still counts as taken for the order (confirmed, or already paid). */
const CREDIT_KEEPING_STATUSES = ['CONFIRMED', 'SETTLED'];

export interface UnusedCredit {
  orderId: string;
  /** What the order used of the credit its hold took. */
  usedCredit: number;
  storeCurrency: string;
}

/**
 * Gives back the credit a hold took beyond what its order used, exactly once: the conditional
 * update of the hold's credit moves it from what was read to what was used, and only the call
 * whose update changed the row credits the customer. Returns what was given back.
 */
export async function giveBackUnusedCredit(em: EntityManager, { orderId, usedCredit, storeCurrency }: UnusedCredit): Promise<number> {
  const hold = await withRowLock(em.createQueryBuilder(BenefitHoldEntity, 'h').where('h.orderId = :orderId', { orderId })).getOne();
  if (!hold || hold.credit <= usedCredit || !CREDIT_KEEPING_STATUSES.includes(hold.status)) return 0;
  const trimmed = await em
    .createQueryBuilder()
    .update(BenefitHoldEntity)
    .set({ credit: usedCredit })
    .where('order_id = :orderId AND credit = :held AND status IN (:...keeping)', { orderId, held: hold.credit, keeping: CREDIT_KEEPING_STATUSES })
    .execute();
  if (!trimmed.affected) return 0;
  const unused = hold.credit - usedCredit;
  await changeCredit(em, { customerId: hold.customerId, delta: unused, currency: storeCurrency });
  return unused;
}

export interface Redemption {
  code: string;
  customerId: string;
  orderId: string;
}

/** This customer's holds of this coupon for other orders that still count (not released or expired). */
const LIVE_HOLDS_OF_CUSTOMER = `SELECT COUNT(*) FROM benefit_holds
  WHERE customer_id = :customerId AND coupon_code = :code AND order_id <> :orderId AND status NOT IN (:...givenBack)`;

export function customerHoldsOf(em: EntityManager, { code, customerId, orderId }: Redemption): Promise<number> {
  return em
    .createQueryBuilder(BenefitHoldEntity, 'h')
    .where('h.customerId = :customerId AND h.couponCode = :code AND h.orderId <> :orderId', { customerId, code, orderId })
    .andWhere('h.status NOT IN (:...givenBack)', { givenBack: GIVEN_BACK_STATUSES })
    .getCount();
}

/**
 * Counts one redemption where the coupon's limits allow it; false when they don't. Its
 * per-customer count runs under the coupon row's lock, and InnoDB reads an UPDATE's subquery with
 * shared locks, so it sees every hold committed before (two racing orders of one customer may
 * deadlock there: one is retried, then refused). On SQLite, transactions take turns anyway.
 */
export async function redeemCoupon(em: EntityManager, r: Redemption): Promise<boolean> {
  const redeemed = await em
    .createQueryBuilder()
    .update(CouponEntity)
    .set({ redemptions: () => 'redemptions + 1' })
    .where('code = :code AND (max_redemptions IS NULL OR redemptions < max_redemptions)', { code: r.code })
    .andWhere(`(max_redemptions_per_customer IS NULL OR max_redemptions_per_customer > (${LIVE_HOLDS_OF_CUSTOMER}))`, { ...r, givenBack: GIVEN_BACK_STATUSES })
    .execute();
  return !!redeemed.affected;
}

/** The customer's row, locked until the transaction ends, so its credit is spent once. */
export function lockedCustomer(em: EntityManager, customerId: string): Promise<CustomerRow | null> {
  return withRowLock(em.createQueryBuilder(CustomerEntity, 'c').where('c.id = :id', { id: customerId })).getOne();
}

/** Debits credit from a customer locked and checked by the caller, so it cannot go below zero. */
export const debitCredit = (em: EntityManager, { customerId, amount, storeCurrency }: { customerId: string; amount: number; storeCurrency: string }) =>
  changeCredit(em, { customerId, delta: -amount, currency: storeCurrency });
