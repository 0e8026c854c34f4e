// The staff order list (a customer's own orders through the same field), a page at a time,
// newest first, behind an opaque cursor.
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { decodeTimeCursor, encodeTimeCursor, pageSize } from '../../../../lib/contracts/pagination.js';
import { orderListScope, type OrderFilterInput } from '../domain/order-list.js';
import type { OrderPage } from '../persistence/entities.js';
import { countOrders, ordersAfter } from '../persistence/order-list.js';
import type { OrderDeps } from './deps.js';

export interface ListOrdersInput {
  user: AuthUser | null;
  first?: number | null;
  after?: string | null;
  filter?: OrderFilterInput | null;
}

export async function listOrders({ db }: Pick<OrderDeps, 'db'>, { user, first, after, filter }: ListOrdersInput): Promise<OrderPage> {
  const scope = orderListScope(user, filter);
  const size = pageSize(first);
  const cursor = after ? decodeTimeCursor(after) : null;
  // One row past the page tells whether another page follows.
  const rows = await ordersAfter(db.manager, scope, cursor, size + 1);
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    // Counting every match costs more than a page: totalCount runs it only when a client asks.
    count: () => countOrders(db.manager, scope),
    pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeTimeCursor({ at: last.createdAt, id: last.id }) : null },
  };
}
