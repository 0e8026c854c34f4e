import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

/** The audit log of admin mutations, read newest first: (at, id) is the order and the cursor. */
export class AuditLog1732000000601 implements MigrationInterface {
  name = 'AuditLog1732000000601';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [idColumn(), uuid('actor_id'), text('actor', 254), text('action', 64), text('target', 200, true), text('summary', 500, true), time('at')],
        indices: [{ name: 'idx_audit_log_at', columnNames: ['at', 'id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_log');
  }
}
