// DataLoaders over plain SQL hydrated by TypeORM's metadata (raw-rows.ts): one query per kind of
// row, however many a federated response needs.
import DataLoader from 'dataloader';
import type { EntityManager, EntitySchema, ObjectLiteral } from 'typeorm';
import { columnOf, placeholders, selectRows } from './raw-rows.js';

/** Rows by a unique key (null where none). */
export function loaderByKey<T extends ObjectLiteral, K extends keyof T & string>(
  em: EntityManager,
  entity: EntitySchema<T>,
  key: K,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await selectRows(em, entity, `${columnOf(em, entity, key)} IN (${placeholders(ids.length)})`, [...ids]);
    const byKey = new Map(rows.map((r) => [String(r[key]), r]));
    return ids.map((id) => byKey.get(id) ?? null);
  });
}

/** All rows sharing a key, ordered by the given properties. */
export function loaderOfGroups<T extends ObjectLiteral, K extends keyof T & string>(
  em: EntityManager,
  entity: EntitySchema<T>,
  key: K,
  order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
): DataLoader<string, T[]> {
  const orderBy = Object.entries(order)
    .map(([property, direction]) => `${columnOf(em, entity, property)} ${direction}`)
    .join(', ');
  return new DataLoader(async (ids) => {
    const rows = await selectRows(em, entity, `${columnOf(em, entity, key)} IN (${placeholders(ids.length)})`, [...ids], { orderBy });
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const r of rows) groups.get(String(r[key]))?.push(r);
    return ids.map((id) => groups.get(id)!);
  });
}
