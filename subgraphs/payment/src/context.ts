import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { AuthUser } from '../../../lib/auth.js';
import type { Runtime } from '../../../lib/service.js';
import { PaymentEntity, type PaymentRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  /** One query for the payments of every order in a federated response. */
  paymentsByOrder: DataLoader<string, PaymentRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return {
    user,
    runtime,
    paymentsByOrder: new DataLoader(async (ids) => {
      const rows = await runtime.db.manager.findBy(PaymentEntity, { orderId: In([...ids]) });
      return ids.map((id) => rows.find((r) => r.orderId === id) ?? null);
    }),
  };
}
