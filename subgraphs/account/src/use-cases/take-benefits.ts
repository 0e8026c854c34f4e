// Taking a coupon and store credit for an order: the try step's take, and the re-take when a late
// order.created finds its hold swept. Every check comes before the first write, so a thrown
// COUPON_INVALID or CONFLICT leaves nothing to undo in the caller's transaction.
import { userError } from '../../../../lib/contracts/errors.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { couponDiscount } from '../../../../lib/contracts/coupons.js';
import { couponProblem } from '../domain/coupon.js';
import { CouponEntity } from '../persistence/entities.js';
import { customerHoldsOf, debitCredit, lockedCustomer, redeemCoupon } from '../persistence/benefit-holds.js';
import type { AccountDeps } from './deps.js';

export interface BenefitsWanted {
  orderId: string;
  customerId: string;
  /** Normalised. */
  couponCode: string | null;
  useStoreCredit: boolean;
  subtotal: number;
  currency: string;
  /**
   * Credit pays after shipping and tax, which the order prices after this hold: it sends the most
   * the order could cost before credit, and gets back at order.created what was not used.
   * Absent: the goods after discount, as before shipping and tax.
   */
  maxCredit?: number;
  /** Re-taking a swept hold: exactly this much credit, in full. */
  exactCredit?: number;
}

export interface TakenBenefits {
  discount: number;
  storeCreditApplied: number;
}

const COUPON_MESSAGES = {
  unknown: 'This coupon code does not exist',
  expired: 'This coupon has expired',
  'not-yours': 'This coupon belongs to another customer',
  'used-up': 'This coupon has been used up',
  'used-by-you': 'You have already used this coupon as often as it allows',
  currency: 'This coupon is for another currency',
} as const;

/** `now` is when the coupon's validity is judged; config names the currency the balance change is announced in. */
export async function takeBenefits(
  { em, config }: Pick<Transaction, 'em'> & Pick<AccountDeps, 'config'>,
  wanted: BenefitsWanted & { now: Date },
): Promise<TakenBenefits> {
  const { couponCode: code, customerId, orderId, exactCredit, now } = wanted;
  let discount = 0;
  const coupon = code ? await em.findOneBy(CouponEntity, { code }) : null;
  if (code) {
    const usedByCustomer = coupon?.maxRedemptionsPerCustomer != null ? await customerHoldsOf(em, { code, customerId, orderId }) : 0;
    const problem = couponProblem(coupon, customerId, wanted.currency, now, usedByCustomer);
    if (problem) throw userError('COUPON_INVALID', COUPON_MESSAGES[problem], { couponCode: code });
    discount = couponDiscount(coupon!, wanted.subtotal);
  }
  let storeCreditApplied = 0;
  if (wanted.useStoreCredit || exactCredit) {
    const available = (await lockedCustomer(em, customerId))?.storeCredit ?? 0;
    storeCreditApplied = exactCredit ?? Math.min(available, Math.max(0, (wanted.maxCredit ?? wanted.subtotal) - discount));
    if (storeCreditApplied > available) throw userError('CONFLICT', 'Store credit is no longer available');
  }
  // The check above gives the precise reason in the ordinary case; the conditional redemption is
  // what holds under a race. Only the per-customer condition can fail when there is no overall limit.
  if (code && !(await redeemCoupon(em, { code, customerId, orderId }))) {
    throw userError('COUPON_INVALID', COUPON_MESSAGES[coupon!.maxRedemptions === null ? 'used-by-you' : 'used-up'], { couponCode: code });
  }
  if (storeCreditApplied > 0) await debitCredit(em, { customerId, amount: storeCreditApplied, storeCurrency: config.STORE_CURRENCY });
  return { discount, storeCreditApplied };
}
