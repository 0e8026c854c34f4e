// order.paid: the coupon and credit are used for good and the customer earns loyalty points, once.
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import { settleHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import type { EventPayloads } from '../../../../lib/contracts/events.js';
import { loyaltyPointsFor } from '../domain/loyalty.js';
import { CustomerEntity } from '../persistence/entities.js';
import { benefitHoldsIn } from '../persistence/benefit-holds.js';
import type { AccountDeps } from './deps.js';

export async function finaliseBenefits(
  { em, config }: Pick<Transaction, 'em'> & Pick<AccountDeps, 'config'>,
  { orderId, customerId, amountDue }: EventPayloads['order.paid'],
): Promise<Outcome> {
  // Nothing moves: the coupon was redeemed and the credit debited when they were held.
  await settleHolds(em, benefitHoldsIn(config.STORE_CURRENCY), orderId);
  const points = loyaltyPointsFor(amountDue);
  if (points > 0) {
    // Relative and unconditional: queued, to travel with the COMMIT.
    await queueWrite(
      em,
      em
        .createQueryBuilder()
        .update(CustomerEntity)
        .set({ loyaltyPoints: () => `loyalty_points + ${points}` })
        .where('id = :id', { id: customerId }),
    );
  }
  return 'applied';
}
