// Column shapes shared by every subgraph's entities and migrations, so both dialects agree.
import type { TableColumnOptions } from 'typeorm';
import type { EntitySchemaColumnOptions } from 'typeorm';

export const idColumn = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
export const uuid = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
export const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const longText = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
export const int = (name: string, fallback?: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'int',
  isNullable: nullable,
  ...(fallback === undefined ? {} : { default: fallback }),
});
export const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });

export const col = {
  id: { type: 'varchar', length: 36, primary: true } satisfies EntitySchemaColumnOptions,
  uuid: (nullable = false) => ({ type: 'varchar', length: 36, nullable }) satisfies EntitySchemaColumnOptions,
  text: (length: number, nullable = false) => ({ type: 'varchar', length, nullable }) satisfies EntitySchemaColumnOptions,
  longText: (nullable = false) => ({ type: 'text', nullable }) satisfies EntitySchemaColumnOptions,
  int: (nullable = false) => ({ type: 'int', nullable }) satisfies EntitySchemaColumnOptions,
  time: (nullable = false) => ({ type: 'datetime', precision: 3, nullable }) satisfies EntitySchemaColumnOptions,
};

/** Addresses, lists and the like kept as JSON text: portable to SQLite and MariaDB alike. */
export const json = <T>() => ({
  to: (value: T | null | undefined) => (value === null || value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as T)),
});
