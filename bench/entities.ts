// Seeding through the subgraphs' own TypeORM entities: the bench writes rows with the EntitySchemas
// the services use (column names and types in one place), never a hand-written column list. Rows go
// in as multi-row INSERTs built by the query builder, a chunk per statement, so seeding a million
// orders stays a matter of minutes.
import { DataSource, type EntityManager, type EntitySchema, type ObjectLiteral } from 'typeorm';

/** A data source on a database the services have already migrated (the bench never changes the schema). */
export function openEntities(databaseUrl: string, database: string, entities: EntitySchema[], poolSize = 3): Promise<DataSource> {
  return new DataSource({ type: 'mysql', url: databaseUrl, database, entities, poolSize, timezone: 'Z', charset: 'utf8mb4_unicode_ci' }).initialize();
}

/**
 * Inserts rows `chunk` at a time. `entity` is the schema, or its table name for the shared outbox
 * and inbox tables, which each subgraph lists among its entities. Nothing is read back: generated
 * columns (the outbox position) stay unknown to the caller.
 */
export async function insertChunked<T extends ObjectLiteral>(em: EntityManager, entity: EntitySchema<T> | string, rows: T[], chunk = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + chunk))
      .updateEntity(false)
      .execute();
  }
}
