import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import type { RequestInfo, Runtime } from '../../../lib/platform/runtime/service.js';
import { CustomerEntity, type CustomerRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  customers: DataLoader<string, CustomerRow | null>;
  /** The client's address as the gateway saw it (sign-in is throttled per address). */
  clientAddress: string;
}

export function createContext(runtime: Runtime, user: AuthUser | null, request: RequestInfo): Context {
  return { user, runtime, customers: loaderByKey(runtime.db.manager, CustomerEntity, 'id'), clientAddress: request.clientAddress };
}
