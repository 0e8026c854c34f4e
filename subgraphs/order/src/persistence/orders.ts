// The order queries that take row locks, so the use cases above them never deal with dialects.
import type { EntityManager } from 'typeorm';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
import { placeholders, rowLock, rowsQuery, selectRows, selectTogether, type RowsQuery } from '../../../../lib/platform/db/raw-rows.js';
import { OrderEntity, type OrderRow } from './entities.js';

/** The order, locked until the caller's transaction ends: its status changes one at a time. */
export async function lockOrder(em: EntityManager, orderId: string): Promise<OrderRow | null> {
  return (await selectRows(em, OrderEntity, 'id = ?', [orderId], { forUpdate: true }))[0] ?? null;
}

/** The order as committed (or as this transaction wrote it), without a lock. */
export async function findOrder(em: EntityManager, orderId: string): Promise<OrderRow | null> {
  return (await selectRows(em, OrderEntity, 'id = ?', [orderId]))[0] ?? null;
}

/** The order, if it exists, and how many of the customer's orders are in one of `statuses`: one round trip. */
export async function orderAndCustomerCount(
  em: EntityManager,
  orderId: string,
  customerId: string,
  statuses: readonly OrderStatus[],
): Promise<{ order: OrderRow | null; count: number }> {
  const [orders, [counted]] = await selectTogether(em, rowsQuery(em, OrderEntity, 'id = ?', [orderId]), countQuery(customerId, statuses, ''));
  return { order: orders[0] ?? null, count: counted! };
}

/**
 * How many of the customer's orders are in one of `statuses`. Inside a transaction on MySQL the
 * count locks the customer's range of the index, so two concurrent checkouts cannot both see room
 * (one waits, or deadlocks and is retried, and then counts the other).
 */
export async function countCustomerOrders(em: EntityManager, customerId: string, statuses: readonly OrderStatus[]): Promise<number> {
  const lock = em.queryRunner?.isTransactionActive ? rowLock(em) : '';
  const query = countQuery(customerId, statuses, lock);
  return query.rows((await em.query(query.sql, query.params)) as { n: number | string }[])[0]!;
}

const countQuery = (customerId: string, statuses: readonly OrderStatus[], lock: string): RowsQuery<number> => ({
  sql: `SELECT COUNT(*) AS n FROM orders WHERE customer_id = ? AND status IN (${placeholders(statuses.length)})${lock}`,
  params: [customerId, ...statuses],
  rows: (raw) => raw.map((r) => Number(r.n)),
});
