// order.paid: the coupon and credit are used for good and the customer earns loyalty points, once.
import { settleHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import type { EventPayloads } from '../../../../lib/contracts/events.js';
import { loyaltyPointsFor } from '../domain/loyalty.js';
import { CustomerEntity } from '../persistence/entities.js';
import { benefitHolds } from '../persistence/benefit-holds.js';

export async function finaliseBenefits({ em }: Pick<Transaction, 'em'>, { orderId, customerId, amountDue }: EventPayloads['order.paid']): Promise<Outcome> {
  // Nothing moves: the coupon was redeemed and the credit debited when they were held.
  await settleHolds(em, benefitHolds, orderId);
  const points = loyaltyPointsFor(amountDue);
  if (points > 0) {
    await em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({ loyaltyPoints: () => `loyalty_points + ${points}` })
      .where('id = :id', { id: customerId })
      .execute();
  }
  return 'applied';
}
