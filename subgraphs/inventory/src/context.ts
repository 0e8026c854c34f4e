import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { AuthUser } from '../../../lib/auth.js';
import type { Runtime } from '../../../lib/service.js';
import { ProductEntity, type ProductRow } from './persistence/entities.js';

export interface Context {
  user: AuthUser | null;
  runtime: Runtime;
  /** Batches entity references: one query for all products in a federated response. */
  products: DataLoader<string, ProductRow | null>;
}

export function createContext(runtime: Runtime, user: AuthUser | null): Context {
  return {
    user,
    runtime,
    products: new DataLoader(async (ids) => {
      const rows = await runtime.db.manager.findBy(ProductEntity, { id: In([...ids]) });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
