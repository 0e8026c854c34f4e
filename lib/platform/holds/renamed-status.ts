// Subgraphs that stored their own name for a settled hold (inventory SOLD, account FINAL) migrate
// to the lifecycle's one name, so the table in lifecycle.ts is the only vocabulary.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A migration (named with its TypeORM timestamp) that renames `legacy` to SETTLED in a hold table, and back. */
export function settledStatusMigration(name: string, table: string, legacy: string): new () => MigrationInterface {
  const rename = (q: QueryRunner, from: string, to: string) => q.query(`UPDATE ${table} SET status = ? WHERE status = ?`, [to, from]);
  return class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await rename(q, legacy, 'SETTLED');
    }
    async down(q: QueryRunner): Promise<void> {
      await rename(q, 'SETTLED', legacy);
    }
  };
}
