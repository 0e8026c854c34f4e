import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey } from '../../../lib/platform/db/loaders.js';
import { PaymentEntity, type PaymentRow } from './persistence/entities.js';
import type { PaymentDeps } from './use-cases/deps.js';

/** The resolvers only read payments, through this loader; every change comes from Stripe or an event. */
export interface Context {
  user: AuthUser | null;
  paymentsByOrder: DataLoader<string, PaymentRow | null>;
}

export function createContext({ db }: Pick<PaymentDeps, 'db'>, user: AuthUser | null): Context {
  return { user, paymentsByOrder: loaderByKey(db.manager, PaymentEntity, 'orderId') };
}
