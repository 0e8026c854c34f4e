import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey, loaderOfGroups } from '../../../lib/platform/db/loaders.js';
import type { Runtime } from '../../../lib/platform/runtime/service.js';
import { OrderEntity, OrderItemEntity, OrderStatusChangeEntity, type OrderItemRow, type OrderRow, type OrderStatusChangeRow } from './persistence/entities.js';
import type { TryStepUrls } from './use-cases/place-order.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  tryStep: TryStepUrls;
  orders: DataLoader<string, OrderRow | null>;
  ordersByCustomer: DataLoader<string, OrderRow[]>;
  items: DataLoader<string, OrderItemRow[]>;
  history: DataLoader<string, OrderStatusChangeRow[]>;
}

export function createContext(runtime: Runtime, tryStep: TryStepUrls, user: AuthUser | null): Context {
  const em = runtime.db.manager;
  return {
    user,
    runtime,
    tryStep,
    orders: loaderByKey(em, OrderEntity, 'id'),
    ordersByCustomer: loaderOfGroups(em, OrderEntity, 'customerId', { createdAt: 'DESC', id: 'DESC' }),
    items: loaderOfGroups(em, OrderItemEntity, 'orderId', { productId: 'ASC' }),
    history: loaderOfGroups(em, OrderStatusChangeEntity, 'orderId', { sequence: 'ASC' }),
  };
}
