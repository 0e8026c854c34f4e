// The order queries that take row locks, so the use cases above them never deal with dialects.
import type { EntityManager } from 'typeorm';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
import { withRowLock } from '../../../../lib/platform/db/database.js';
import { OrderEntity, type OrderRow } from './entities.js';

/** The order, locked until the caller's transaction ends: its status changes one at a time. */
export function lockOrder(em: EntityManager, orderId: string): Promise<OrderRow | null> {
  return withRowLock(em.createQueryBuilder(OrderEntity, 'o').where('o.id = :orderId', { orderId })).getOne();
}

/**
 * How many of the customer's orders are in one of `statuses`. Inside a transaction on MySQL the
 * count locks the customer's range of the index, so two concurrent checkouts cannot both see room
 * (one waits, or deadlocks and is retried, and then counts the other).
 */
export function countCustomerOrders(em: EntityManager, customerId: string, statuses: readonly OrderStatus[]): Promise<number> {
  const query = em
    .createQueryBuilder(OrderEntity, 'o')
    .where('o.customerId = :customerId', { customerId })
    .andWhere('o.status IN (:...statuses)', { statuses });
  return (em.queryRunner?.isTransactionActive ? withRowLock(query) : query).getCount();
}
