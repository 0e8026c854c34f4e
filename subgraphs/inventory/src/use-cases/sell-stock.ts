// order.paid: held units become sold stock (stockOnHand goes down) and the order is handed to
// the fulfilment worker.
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import type { Logger } from '../../../../lib/platform/observability/logger.js';
import { currentTraceparent } from '../../../../lib/platform/observability/telemetry.js';
import { ProductEntity, ShipmentEntity, StockHoldEntity } from '../persistence/entities.js';

export async function sellStock(em: EntityManager, log: Logger, event: EventEnvelope<'order.paid'>, fulfilmentDelayMs: number): Promise<Outcome> {
  const { orderId } = event.data;
  const holds = await em.findBy(StockHoldEntity, { orderId });
  for (const h of holds.sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    if (h.status === 'EXPIRED') {
      await sellExpired(em, log, orderId, h.productId, h.quantity);
      continue;
    }
    if (h.status !== 'HELD' && h.status !== 'CONFIRMED') continue;
    const changed = await em
      .createQueryBuilder()
      .update(StockHoldEntity)
      .set({ status: 'SOLD' })
      .where('order_id = :orderId AND product_id = :productId AND status IN (:...from)', { orderId, productId: h.productId, from: ['HELD', 'CONFIRMED'] })
      .execute();
    if (!changed.affected) continue;
    await em
      .createQueryBuilder()
      .update(ProductEntity)
      .set({ held: () => `held - ${h.quantity}`, stockOnHand: () => `stock_on_hand - ${h.quantity}` })
      .where('id = :id', { id: h.productId })
      .execute();
  }
  if (await em.existsBy(ShipmentEntity, { orderId })) return 'stale';
  await em.insert(ShipmentEntity, { orderId, shipAt: new Date(Date.now() + fulfilmentDelayMs), shippedAt: null, traceparent: currentTraceparent() });
  return 'applied';
}

/**
 * Paid after its hold expired (order.created was late by more than HOLD_TTL): sell from what is
 * available now, never below it. Stock that is gone meanwhile is logged for an operator: a paid
 * order cannot be cancelled by the state machine, so it needs a person (restock or refund).
 */
async function sellExpired(em: EntityManager, log: Logger, orderId: string, productId: string, quantity: number) {
  const taken = await em
    .createQueryBuilder()
    .update(ProductEntity)
    .set({ stockOnHand: () => `stock_on_hand - ${quantity}` })
    .where('id = :id AND stock_on_hand - held >= :q', { id: productId, q: quantity })
    .execute();
  if (!taken.affected) {
    log.error({ orderId, productId, quantity }, 'paid order whose expired hold could not be re-taken: restock or refund it');
    return;
  }
  await em.update(StockHoldEntity, { orderId, productId, status: 'EXPIRED' }, { status: 'SOLD' });
}
