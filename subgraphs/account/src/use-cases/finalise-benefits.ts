// order.paid: the coupon and credit become final and the customer earns loyalty points, once.
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import { loyaltyPointsFor } from '../domain/loyalty.js';
import { BenefitHoldEntity, CustomerEntity } from '../persistence/entities.js';

export async function finaliseBenefits(em: EntityManager, event: EventEnvelope<'order.paid'>): Promise<Outcome> {
  const { orderId, customerId, amountDue } = event.data;
  await em
    .createQueryBuilder()
    .update(BenefitHoldEntity)
    .set({ status: 'FINAL' })
    .where('order_id = :orderId AND status IN (:...from)', { orderId, from: ['HELD', 'CONFIRMED'] })
    .execute();
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
