import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import type { Runtime } from '../../../lib/platform/runtime/service.js';
import { PaymentEntity, type PaymentRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  paymentsByOrder: DataLoader<string, PaymentRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return { user, runtime, paymentsByOrder: loaderByKey(runtime.db.manager, PaymentEntity, 'orderId') };
}
