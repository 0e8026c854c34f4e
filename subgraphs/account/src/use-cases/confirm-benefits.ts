// order.created: the order was written, so its held coupon and credit are confirmed, and credit
// held beyond what the order used goes back to the customer. A hold the sweeper already expired is
// taken again (only what was used); when that is no longer possible, account.hold_lost tells the
// order subgraph to cancel the order.
import { GraphQLError } from 'graphql';
import { confirmHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { newEvent, type EventPayloads } from '../../../../lib/contracts/events.js';
import { benefitHoldsIn, giveBackUnusedCredit } from '../persistence/benefit-holds.js';
import type { AccountDeps } from './deps.js';
import { takeBenefits } from './take-benefits.js';

export async function confirmBenefits(tx: Transaction & Pick<AccountDeps, 'config'>, order: EventPayloads['order.created']): Promise<Outcome> {
  const { config } = tx;
  const { orderId, customerId, couponCode, storeCreditApplied } = order;
  const heldAnything = !!couponCode || storeCreditApplied > 0;
  const confirmed = await confirmHolds(tx.em, benefitHoldsIn(config.STORE_CURRENCY), {
    orderId,
    expected: heldAnything ? [{ orderId, customerId, couponCode, discount: order.discount, credit: storeCreditApplied }] : [],
    async takeAgain(em) {
      try {
        const wanted = { orderId, customerId, couponCode, useStoreCredit: false, subtotal: order.subtotal, currency: order.currency };
        await takeBenefits({ em, config }, { ...wanted, exactCredit: storeCreditApplied || undefined, now: new Date() });
        return null;
      } catch (err) {
        const code = err instanceof GraphQLError ? err.extensions.code : null;
        if (code !== 'COUPON_INVALID' && code !== 'CONFLICT') throw err; // a deadlock or outage: retry the event
        return 'the coupon or store credit held for this order is no longer available';
      }
    },
  });
  if (typeof confirmed === 'string') {
    // The hold took credit up to the order's upper bound; the order used storeCreditApplied. Also
    // when the order was paid first ('stale'): its surplus is the customer's all the same.
    const givenBack = await giveBackUnusedCredit(tx.em, { orderId, usedCredit: storeCreditApplied, storeCurrency: config.STORE_CURRENCY });
    return givenBack > 0 ? 'applied' : confirmed;
  }
  await tx.enqueue(newEvent('account.hold_lost', orderId, { orderId, reason: confirmed.lost }));
  return 'applied';
}
