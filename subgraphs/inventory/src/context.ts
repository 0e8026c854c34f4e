import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import { ProductEntity, ShipmentEntity, type ProductRow, type ShipmentRow } from './persistence/entities.js';
import type { InventoryDeps } from './use-cases/deps.js';

export interface Context {
  user: AuthUser | null;
  deps: InventoryDeps;
  products: DataLoader<string, ProductRow | null>;
  /** By order id: a list of orders reads its shipments in one query. */
  shipmentsByOrder: DataLoader<string, ShipmentRow | null>;
}

export function createContext(deps: InventoryDeps, user: AuthUser | null): Context {
  return {
    user,
    deps,
    products: loaderByKey(deps.db.manager, ProductEntity, 'id'),
    shipmentsByOrder: loaderByKey(deps.db.manager, ShipmentEntity, 'orderId'),
  };
}
