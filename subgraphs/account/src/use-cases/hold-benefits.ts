// The try step's account half: hold the coupon and store credit for an order, atomically.
// Idempotent per order id, so a retried or racing placeOrder holds once.
import type { EntityManager } from 'typeorm';
import { isDuplicateKey, withRowLock, type Database } from '../../../../lib/platform/db/database.js';
import { userError } from '../../../../lib/platform/errors.js';
import { couponDiscount, couponProblem, normaliseCode } from '../domain/coupon.js';
import { BenefitHoldEntity, CouponEntity, CustomerEntity, type BenefitHoldRow } from '../persistence/entities.js';

export interface HoldBenefitsRequest {
  orderId: string;
  customerId: string;
  couponCode: string | null;
  useStoreCredit: boolean;
  subtotal: number;
  currency: string;
}

export interface HeldBenefits {
  discount: number;
  storeCreditApplied: number;
  /** The code as stored (normalised), for the order to keep. */
  couponCode?: string | null;
}

const COUPON_MESSAGES = {
  unknown: 'This coupon code does not exist',
  expired: 'This coupon has expired',
  'not-yours': 'This coupon belongs to another customer',
  'used-up': 'This coupon has been used up',
  'used-by-you': 'You have already used this coupon as often as it allows',
  currency: 'This coupon is for another currency',
} as const;

class AlreadyHeld extends Error {}

export async function holdBenefits(db: Database, req: HoldBenefitsRequest, holdTtlMs: number): Promise<HeldBenefits> {
  try {
    return await takeFresh(db, req, holdTtlMs);
  } catch (err) {
    if (!(err instanceof AlreadyHeld)) throw err;
  }
  // A retried or racing call for the same order. Live holds are its answer; holds a failed
  // attempt gave back (released or expired) are cleared so that this attempt can hold afresh.
  const existing = await db.manager.findOneByOrFail(BenefitHoldEntity, { orderId: req.orderId });
  if (existing.status === 'HELD' || existing.status === 'CONFIRMED' || existing.status === 'FINAL') {
    return { discount: existing.discount, storeCreditApplied: existing.credit, couponCode: existing.couponCode };
  }
  const cleared = await db.transaction((em) =>
    em
      .createQueryBuilder()
      .delete()
      .from(BenefitHoldEntity)
      .where('order_id = :orderId AND status IN (:...done)', { orderId: req.orderId, done: ['RELEASED', 'EXPIRED'] })
      .execute(),
  );
  if (!cleared.affected) throw userError('CONFLICT', 'This order is being placed by another request; try again');
  return takeFresh(db, req, holdTtlMs);
}

async function takeFresh(db: Database, req: HoldBenefitsRequest, holdTtlMs: number): Promise<HeldBenefits> {
  return db.transaction(async (em) => {
    const now = new Date();
    const hold: BenefitHoldRow = {
      orderId: req.orderId,
      customerId: req.customerId,
      couponCode: req.couponCode ? normaliseCode(req.couponCode) : null,
      discount: 0,
      credit: 0,
      status: 'HELD',
      expiresAt: new Date(now.getTime() + holdTtlMs),
      createdAt: now,
    };
    try {
      await em.insert(BenefitHoldEntity, hold);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      throw new AlreadyHeld();
    }
    const taken = await takeBenefits(em, db, { ...req, couponCode: hold.couponCode }, now);
    await em.update(BenefitHoldEntity, { orderId: req.orderId }, { discount: taken.discount, credit: taken.storeCreditApplied });
    return { ...taken, couponCode: hold.couponCode };
  });
}

/**
 * Takes the coupon (a conditional increment, so maxRedemptions and maxRedemptionsPerCustomer hold
 * under concurrency) and the credit (debited under a row lock). Every check comes before the first
 * write, so a thrown COUPON_INVALID or CONFLICT leaves nothing to undo in the caller's transaction.
 * With `exactCredit` the credit must be debited in full (re-taking a swept hold).
 */
export async function takeBenefits(em: EntityManager, db: Database, req: HoldBenefitsRequest, now: Date, exactCredit?: number): Promise<HeldBenefits> {
  let discount = 0;
  const coupon = req.couponCode ? await em.findOneBy(CouponEntity, { code: req.couponCode }) : null;
  if (req.couponCode) {
    const usedByCustomer = coupon?.maxRedemptionsPerCustomer != null ? await customerHoldsOf(em, req) : 0;
    const problem = couponProblem(coupon, req.customerId, req.currency, now, usedByCustomer);
    if (problem) throw userError('COUPON_INVALID', COUPON_MESSAGES[problem], { couponCode: req.couponCode });
    discount = couponDiscount(coupon!, req.subtotal);
  }
  let storeCreditApplied = 0;
  if (req.useStoreCredit || exactCredit) {
    const customer = await withRowLock(em.createQueryBuilder(CustomerEntity, 'c').where('c.id = :id', { id: req.customerId }), db.dialect).getOne();
    const available = customer?.storeCredit ?? 0;
    storeCreditApplied = exactCredit ?? Math.min(available, req.subtotal - discount);
    if (storeCreditApplied > available) throw userError('CONFLICT', 'Store credit is no longer available');
  }
  if (req.couponCode) {
    // The check above gives the precise reason in the ordinary case; this one conditional statement
    // is what holds under a race. Its per-customer count runs under the coupon row's lock, and
    // InnoDB reads an UPDATE's subquery with shared locks, so it sees every hold committed before
    // (two racing orders of one customer may deadlock there: one is retried, then refused). On
    // SQLite, transactions take turns anyway.
    const redeemed = await em
      .createQueryBuilder()
      .update(CouponEntity)
      .set({ redemptions: () => 'redemptions + 1' })
      .where('code = :code AND (max_redemptions IS NULL OR redemptions < max_redemptions)', { code: req.couponCode })
      .andWhere(`(max_redemptions_per_customer IS NULL OR max_redemptions_per_customer > (${LIVE_HOLDS_OF_CUSTOMER}))`, {
        customerId: req.customerId,
        orderId: req.orderId,
      })
      .execute();
    // Only the per-customer condition can fail when there is no overall limit.
    const why = coupon!.maxRedemptions === null ? 'used-by-you' : 'used-up';
    if (!redeemed.affected) throw userError('COUPON_INVALID', COUPON_MESSAGES[why], { couponCode: req.couponCode });
  }
  if (storeCreditApplied > 0) {
    // The row is locked and was checked above, so this cannot go below zero.
    await em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({ storeCredit: () => `store_credit - ${storeCreditApplied}` })
      .where('id = :id', { id: req.customerId })
      .execute();
  }
  return { discount, storeCreditApplied };
}

/** This customer's holds of this coupon for other orders that still count (not released or expired). */
const LIVE_HOLDS_OF_CUSTOMER = `SELECT COUNT(*) FROM benefit_holds
  WHERE customer_id = :customerId AND coupon_code = :code AND order_id <> :orderId AND status NOT IN ('RELEASED', 'EXPIRED')`;

async function customerHoldsOf(em: EntityManager, req: HoldBenefitsRequest): Promise<number> {
  return em
    .createQueryBuilder(BenefitHoldEntity, 'h')
    .where('h.customerId = :customerId AND h.couponCode = :code AND h.orderId <> :orderId', {
      customerId: req.customerId,
      code: req.couponCode,
      orderId: req.orderId,
    })
    .andWhere('h.status NOT IN (:...done)', { done: ['RELEASED', 'EXPIRED'] })
    .getCount();
}
