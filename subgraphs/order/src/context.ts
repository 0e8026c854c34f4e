import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey, loaderOfGroups } from '../../../lib/platform/db/loaders.js';
import { OrderEntity, OrderItemEntity, OrderStatusChangeEntity, type OrderItemRow, type OrderRow, type OrderStatusChangeRow } from './persistence/entities.js';
import type { OrderDeps } from './use-cases/deps.js';

export interface Context {
  user: AuthUser | null;
  deps: OrderDeps;
  orders: DataLoader<string, OrderRow | null>;
  ordersByCustomer: DataLoader<string, OrderRow[]>;
  items: DataLoader<string, OrderItemRow[]>;
  history: DataLoader<string, OrderStatusChangeRow[]>;
}

export function createContext(deps: OrderDeps, user: AuthUser | null): Context {
  const em = deps.db.manager;
  return {
    user,
    deps,
    orders: loaderByKey(em, OrderEntity, 'id'),
    ordersByCustomer: loaderOfGroups(em, OrderEntity, 'customerId', { createdAt: 'DESC', id: 'DESC' }),
    items: loaderOfGroups(em, OrderItemEntity, 'orderId', { productId: 'ASC' }),
    history: loaderOfGroups(em, OrderStatusChangeEntity, 'orderId', { sequence: 'ASC' }),
  };
}
