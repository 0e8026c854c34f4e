import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { AuthUser } from '../../../lib/auth.js';
import type { Runtime } from '../../../lib/service.js';
import { CustomerEntity, type CustomerRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  /** Batches entity references: one query for all customers in a federated response. */
  customers: DataLoader<string, CustomerRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return {
    user,
    runtime,
    customers: new DataLoader(async (ids) => {
      const rows = await runtime.db.manager.findBy(CustomerEntity, { id: In([...ids]) });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
