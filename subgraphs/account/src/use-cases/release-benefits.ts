// Gives back a held coupon and store credit, exactly once (lib/platform/holds decides who gives
// back): the try step's undo, order.cancelled and the sweeper.
import { releaseHolds, sweepHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { benefitHoldsIn } from '../persistence/benefit-holds.js';
import type { AccountDeps } from './deps.js';

/** The try step's undo; true when this call released the hold. */
export async function releaseBenefits({ db, config }: Pick<AccountDeps, 'db' | 'config'>, { orderId }: { orderId: string }): Promise<boolean> {
  return (await db.transaction((em) => releaseHolds(em, benefitHoldsIn(config.STORE_CURRENCY), orderId))) > 0;
}

/** order.cancelled: a cancelled order's coupon and credit are the customer's again. */
export async function releaseCancelledBenefits(
  { em, config }: Pick<Transaction, 'em'> & Pick<AccountDeps, 'config'>,
  { orderId }: { orderId: string },
): Promise<Outcome> {
  return (await releaseHolds(em, benefitHoldsIn(config.STORE_CURRENCY), orderId)) > 0 ? 'applied' : 'stale';
}

/** The sweeper job: releases holds never confirmed within HOLD_TTL. */
export function sweepBenefitHolds({ db, config }: Pick<AccountDeps, 'db' | 'config'>, { now }: { now: Date }): Promise<number> {
  return sweepHolds(db, benefitHoldsIn(config.STORE_CURRENCY), now);
}
