// The staff order list: newest first (created_at DESC, id DESC), a keyset page after a cursor.
// Every query walks one index in order and stops after `limit` rows, so a page costs the same at a
// million orders (migration 006 adds the indexes). A status filter with several statuses runs one
// such walk per status and merges them: an IN list over an index cannot be read in time order.
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { TimeCursor } from '../../../../lib/contracts/pagination.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import type { OrderListScope } from '../domain/order-list.js';
import { OrderEntity, type OrderRow } from './entities.js';

function scoped(em: EntityManager, scope: OrderListScope): SelectQueryBuilder<OrderRow> {
  const q = em.createQueryBuilder(OrderEntity, 'o').where('1 = 1');
  if (scope.customerId !== null) q.andWhere('o.customerId = :customerId', { customerId: scope.customerId });
  if (scope.email !== null) q.andWhere('o.email = :email', { email: scope.email });
  if (scope.createdAfter) q.andWhere('o.createdAt >= :createdAfter', { createdAfter: sqlTime(scope.createdAfter) });
  if (scope.createdBefore) q.andWhere('o.createdAt < :createdBefore', { createdBefore: sqlTime(scope.createdBefore) });
  return q;
}

/** Newest first: later createdAt, then the larger id among orders of the same millisecond. */
const newestFirst = (a: OrderRow, b: OrderRow) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Up to `limit` orders in scope, newest first, after `after` when given. */
export async function ordersAfter(em: EntityManager, scope: OrderListScope, after: TimeCursor | null, limit: number): Promise<OrderRow[]> {
  const page = (status: string | null) => {
    const q = scoped(em, scope);
    if (status !== null) q.andWhere('o.status = :status', { status });
    if (after) q.andWhere('(o.createdAt < :at OR (o.createdAt = :at AND o.id < :id))', { at: sqlTime(after.at), id: after.id });
    return q.orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').take(limit).getMany();
  };
  if (!scope.statuses) return page(null);
  const pages = await Promise.all(scope.statuses.map(page));
  return pages.flat().sort(newestFirst).slice(0, limit);
}

export function countOrders(em: EntityManager, scope: OrderListScope): Promise<number> {
  const q = scoped(em, scope);
  if (scope.statuses) q.andWhere('o.status IN (:...statuses)', { statuses: scope.statuses });
  return q.getCount();
}
