import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/auth.js';
import { loaderByKey } from '../../../lib/db/loaders.js';
import type { Runtime } from '../../../lib/service.js';
import { CustomerEntity, type CustomerRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  customers: DataLoader<string, CustomerRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return { user, runtime, customers: loaderByKey(runtime.db.manager, CustomerEntity, 'id') };
}
