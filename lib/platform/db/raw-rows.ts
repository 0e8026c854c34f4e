// Rows of one entity from plain SQL, hydrated by TypeORM's own column metadata (the driver's
// conversions and each column's transformer, as its query builder would). The hot reads (an order
// under lock, the DataLoaders behind every federated field) skip TypeORM's query building and its
// alias mapping, which were 15–20 % of a subgraph's CPU under load (each entity's column list is
// made once and kept).
import type { EntityManager, EntityMetadata, EntitySchema, ObjectLiteral } from 'typeorm';

type RawRow = Record<string, unknown>;

/** One SELECT and how to read its rows: run alone (selectRows) or in one round trip with another (selectTogether). */
export interface RowsQuery<T> {
  sql: string;
  params: unknown[];
  rows(raw: RawRow[]): T[];
}

export interface RowsOptions {
  orderBy?: string;
  limit?: number;
  forUpdate?: boolean;
}

/** `SELECT <every column> FROM <table> WHERE …`, for one entity; the where clause uses column names. */
export function rowsQuery<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntitySchema<T>,
  where: string,
  params: unknown[],
  options: RowsOptions = {},
): RowsQuery<T> {
  const meta = em.connection.getMetadata(entity);
  const lock = options.forUpdate ? rowLock(em) : '';
  const order = options.orderBy ? ` ORDER BY ${options.orderBy}` : '';
  const limit = options.limit ? ` LIMIT ${Math.floor(options.limit)}` : '';
  const sql = `SELECT ${columnList(meta)} FROM \`${meta.tableName}\` WHERE ${where}${order}${limit}${lock}`;
  return { sql, params, rows: (raw) => raw.map((r) => hydrate(em, meta, r)) };
}

export async function selectRows<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntitySchema<T>,
  where: string,
  params: unknown[],
  options: RowsOptions = {},
): Promise<T[]> {
  return readRows(em, rowsQuery(em, entity, where, params, options));
}

/** Runs one query made by rowsQuery and hydrates its rows. */
export async function readRows<T>(em: EntityManager, query: RowsQuery<T>): Promise<T[]> {
  return query.rows((await em.query(query.sql, query.params)) as RawRow[]);
}

/**
 * Two SELECTs in one round trip on MySQL (one multi-statement query, see folded-statements.ts);
 * one after the other elsewhere. Same answers either way.
 */
export async function selectTogether<A, B>(em: EntityManager, a: RowsQuery<A>, b: RowsQuery<B>): Promise<[A[], B[]]> {
  if (em.connection.options.type !== 'mysql') return [await readRows(em, a), await readRows(em, b)];
  const [rawA, rawB] = (await em.query(`${a.sql};\n${b.sql}`, [...a.params, ...b.params])) as [RawRow[], RawRow[]];
  return [a.rows(rawA), b.rows(rawB)];
}

export interface Statement {
  sql: string;
  values: unknown[];
}

/**
 * Conditional writes whose answers decide what follows (how many rows each one changed), in one
 * round trip on MySQL (a multi-statement query, which the server runs in order and stops at the
 * first error); one after the other elsewhere. Same counts either way.
 */
export async function changedByEach(em: EntityManager, writes: Statement[]): Promise<number[]> {
  if (!writes.length) return [];
  if (em.connection.options.type === 'mysql') {
    const raw = await em.query(
      writes.map((w) => w.sql).join(';\n'),
      writes.flatMap((w) => w.values),
    );
    const headers = (writes.length === 1 ? [raw] : raw) as { affectedRows: number }[];
    return headers.map((h) => h.affectedRows);
  }
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const counts: number[] = [];
    for (const w of writes) counts.push((await runner.query(w.sql, w.values, true)).affected ?? 0);
    return counts;
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** A read, then conditional writes, in one round trip on MySQL: the read's rows and each write's changed-row count. */
export async function readThenChange<T>(em: EntityManager, read: RowsQuery<T>, writes: Statement[]): Promise<[T[], number[]]> {
  if (em.connection.options.type !== 'mysql' || !writes.length) return [await readRows(em, read), await changedByEach(em, writes)];
  const [rows, ...headers] = (await em.query([read.sql, ...writes.map((w) => w.sql)].join(';\n'), [...read.params, ...writes.flatMap((w) => w.values)])) as [
    RawRow[],
    ...{ affectedRows: number }[],
  ];
  return [read.rows(rows), headers.map((h) => h.affectedRows)];
}

/** ` FOR UPDATE` where the dialect has row locks (MySQL); SQLite's transactions already take turns and refuse it. */
export const rowLock = (em: EntityManager) => (em.connection.options.type === 'mysql' ? ' FOR UPDATE' : '');

/** Per entity (every data source maps an entity's columns alike: one naming strategy here). */
const columnNames = new WeakMap<EntitySchema, Map<string, string>>();

/** The column a property is stored in, for where and order clauses (looked up once per entity and property). */
export function columnOf<T extends ObjectLiteral>(em: EntityManager, entity: EntitySchema<T>, property: keyof T & string): string {
  let names = columnNames.get(entity as EntitySchema);
  if (!names) columnNames.set(entity as EntitySchema, (names = new Map()));
  let name = names.get(property);
  if (name === undefined) {
    const column = em.connection.getMetadata(entity).findColumnWithPropertyName(property);
    if (!column) throw new Error(`${property} is not a column of ${String(entity.options.name)}`);
    names.set(property, (name = column.databaseName));
  }
  return name;
}

/** `?, ?, ?` for an IN list. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const columnLists = new WeakMap<EntityMetadata, string>();

function columnList(meta: EntityMetadata): string {
  let list = columnLists.get(meta);
  if (!list) columnLists.set(meta, (list = meta.columns.map((c) => `\`${c.databaseName}\``).join(', ')));
  return list;
}

function hydrate<T extends ObjectLiteral>(em: EntityManager, meta: EntityMetadata, raw: Record<string, unknown>): T {
  const driver = em.connection.driver;
  const row = {} as T;
  for (const column of meta.columns) column.setEntityValue(row, driver.prepareHydratedValue(raw[column.databaseName], column));
  return row;
}
