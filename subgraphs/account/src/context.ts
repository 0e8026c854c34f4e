import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import type { RequestInfo } from '../../../lib/platform/runtime/subgraph.js';
import { CustomerEntity, type CustomerRow } from './persistence/entities.js';
import type { AccountDeps } from './use-cases/deps.js';

export interface Context {
  user: AuthUser | null;
  deps: AccountDeps;
  customers: DataLoader<string, CustomerRow | null>;
  /** The client's address as the gateway saw it (sign-in is throttled per address). */
  clientAddress: string;
}

export function createContext(deps: AccountDeps, user: AuthUser | null, request: RequestInfo): Context {
  return { user, deps, customers: loaderByKey(deps.db.manager, CustomerEntity, 'id'), clientAddress: request.clientAddress };
}
