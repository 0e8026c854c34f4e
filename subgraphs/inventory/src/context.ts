import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import type { Runtime } from '../../../lib/platform/runtime/service.js';
import { ProductEntity, type ProductRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  products: DataLoader<string, ProductRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return { user, runtime, products: loaderByKey(runtime.db.manager, ProductEntity, 'id') };
}
