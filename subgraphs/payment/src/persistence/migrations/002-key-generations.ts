import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, int } from '../../../../../lib/platform/db/columns.js';

/**
 * Idempotency key generations: Stripe replays a saved failure for a key for 24 h, so a request
 * that failed after it started executing is retried under the next generation's key, once we know
 * it made nothing usable. Payments keep the generations their session and refund were made with;
 * a session's generation is counted per order before the Payment exists.
 */
export class KeyGenerations1732000000604 implements MigrationInterface {
  name = 'KeyGenerations1732000000604';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('payments', [new TableColumn(int('session_key_generation', 0)), new TableColumn(int('refund_key_generation', 0))]);
    await q.createTable(new Table({ name: 'session_key_generations', columns: [idColumn('order_id'), int('generation')] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('session_key_generations');
    await q.dropColumn('payments', 'refund_key_generation');
    await q.dropColumn('payments', 'session_key_generation');
  }
}
