// DataLoaders over TypeORM: one query per kind of row, however many a federated response needs.
import DataLoader from 'dataloader';
import { In, type EntityManager, type EntitySchema, type FindOptionsOrder, type ObjectLiteral } from 'typeorm';

/** Rows by a unique key (null where none). */
export function loaderByKey<T extends ObjectLiteral, K extends keyof T & string>(
  em: EntityManager,
  entity: EntitySchema<T>,
  key: K,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await em.findBy(entity, { [key]: In([...ids]) } as never);
    const byKey = new Map(rows.map((r) => [String(r[key]), r]));
    return ids.map((id) => byKey.get(id) ?? null);
  });
}

/** All rows sharing a key, in the given order. */
export function loaderOfGroups<T extends ObjectLiteral, K extends keyof T & string>(
  em: EntityManager,
  entity: EntitySchema<T>,
  key: K,
  order: FindOptionsOrder<T>,
): DataLoader<string, T[]> {
  return new DataLoader(async (ids) => {
    const rows = await em.find(entity, { where: { [key]: In([...ids]) } as never, order });
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const r of rows) groups.get(String(r[key]))?.push(r);
    return ids.map((id) => groups.get(id)!);
  });
}
