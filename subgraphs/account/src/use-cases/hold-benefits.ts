// The try step's account half: hold the coupon and store credit for an order, atomically,
// idempotent per order id (lib/platform/holds reserves; takeBenefits says what taking means).
import { reserve } from '../../../../lib/platform/holds/index.js';
import { normaliseCouponCode } from '../../../../lib/contracts/coupons.js';
import { benefitHoldsIn } from '../persistence/benefit-holds.js';
import type { AccountDeps } from './deps.js';
import { takeBenefits, type BenefitsWanted, type TakenBenefits } from './take-benefits.js';

export interface HeldBenefits extends TakenBenefits {
  /** The code as stored (normalised), for the order to keep. */
  couponCode: string | null;
}

export async function holdBenefits({ db, config }: Pick<AccountDeps, 'db' | 'config'>, input: Omit<BenefitsWanted, 'exactCredit'>): Promise<HeldBenefits> {
  const wanted = { ...input, couponCode: input.couponCode ? normaliseCouponCode(input.couponCode) : null };
  const { orderId, customerId, couponCode } = wanted;
  return reserve({ db, holdTtlMs: config.HOLD_TTL }, benefitHoldsIn(config.STORE_CURRENCY), {
    orderId,
    lines: [{ orderId, customerId, couponCode, discount: 0, credit: 0 }],
    async take(em) {
      const taken = await takeBenefits({ em, config }, { ...wanted, now: new Date() });
      return { answer: { ...taken, couponCode }, recorded: { discount: taken.discount, credit: taken.storeCreditApplied } };
    },
    answerFrom: async (_em, [hold]) => ({ discount: hold!.discount, storeCreditApplied: hold!.credit, couponCode: hold!.couponCode }),
  });
}
