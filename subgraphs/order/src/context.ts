import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { AuthUser } from '../../../lib/auth.js';
import type { Runtime } from '../../../lib/service.js';
import { OrderEntity, OrderItemEntity, OrderStatusChangeEntity, type OrderItemRow, type OrderRow, type OrderStatusChangeRow } from './persistence/entities.js';
import type { TryStepUrls } from './use-cases/place-order.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  tryStep: TryStepUrls;
  /** One batched query per kind of row, however many orders a response lists. */
  orders: DataLoader<string, OrderRow | null>;
  ordersByCustomer: DataLoader<string, OrderRow[]>;
  items: DataLoader<string, OrderItemRow[]>;
  history: DataLoader<string, OrderStatusChangeRow[]>;
}

function groupBy<T>(rows: T[], key: (r: T) => string, ids: readonly string[]): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const r of rows) groups.get(key(r))?.push(r);
  return ids.map((id) => groups.get(id)!);
}

export function createContext(runtime: Runtime, tryStep: TryStepUrls, user: AuthUser | null): Context {
  const em = runtime.db.manager;
  return {
    user,
    runtime,
    tryStep,
    orders: new DataLoader(async (ids) => {
      const rows = await em.findBy(OrderEntity, { id: In([...ids]) });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    ordersByCustomer: new DataLoader(async (ids) => groupBy(await em.find(OrderEntity, { where: { customerId: In([...ids]) }, order: { createdAt: 'DESC', id: 'DESC' } }), (r) => r.customerId, ids)),
    items: new DataLoader(async (ids) => groupBy(await em.find(OrderItemEntity, { where: { orderId: In([...ids]) }, order: { productId: 'ASC' } }), (r) => r.orderId, ids)),
    history: new DataLoader(async (ids) => groupBy(await em.find(OrderStatusChangeEntity, { where: { orderId: In([...ids]) }, order: { sequence: 'ASC' } }), (r) => r.orderId, ids)),
  };
}
