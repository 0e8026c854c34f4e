import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/auth.js';
import { loaderByKey } from '../../../lib/db/loaders.js';
import type { Runtime } from '../../../lib/service.js';
import { PaymentEntity, type PaymentRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  paymentsByOrder: DataLoader<string, PaymentRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return { user, runtime, paymentsByOrder: loaderByKey(runtime.db.manager, PaymentEntity, 'orderId') };
}
