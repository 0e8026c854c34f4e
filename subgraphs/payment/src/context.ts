import type DataLoader from 'dataloader';
import type { AuthUser } from '../../../lib/platform/auth.js';
import { loaderByKey, loaderOfGroups } from '../../../lib/platform/db/loaders.js';
import { PaymentEntity, RefundEntity, type PaymentRow, type RefundRow } from './persistence/entities.js';
import type { PaymentDeps } from './use-cases/deps.js';

/** The resolvers read payments and refunds through these loaders; refundOrder is the one change asked for here, the rest comes from Stripe or an event. */
export interface Context {
  user: AuthUser | null;
  deps: PaymentDeps;
  paymentsByOrder: DataLoader<string, PaymentRow | null>;
  paymentsById: DataLoader<string, PaymentRow | null>;
  refundsByPayment: DataLoader<string, RefundRow[]>;
}

export function createContext(deps: PaymentDeps, user: AuthUser | null): Context {
  const em = deps.db.manager;
  return {
    user,
    deps,
    paymentsByOrder: loaderByKey(em, PaymentEntity, 'orderId'),
    paymentsById: loaderByKey(em, PaymentEntity, 'id'),
    refundsByPayment: loaderOfGroups(em, RefundEntity, 'paymentId', { createdAt: 'ASC', id: 'ASC' }),
  };
}
