import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import { ProductEntity, type ProductRow } from './persistence/entities.js';
import type { InventoryDeps } from './use-cases/deps.js';

export interface Context {
  user: AuthUser | null;
  deps: InventoryDeps;
  products: DataLoader<string, ProductRow | null>;
}

export function createContext(deps: InventoryDeps, user: AuthUser | null): Context {
  return { user, deps, products: loaderByKey(deps.db.manager, ProductEntity, 'id') };
}
