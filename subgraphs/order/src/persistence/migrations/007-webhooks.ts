import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, int, longText, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

/**
 * Outbound webhooks. A delivery is unique per (endpoint, event), so a redelivered event writes no
 * second row; the sender finds due work through (status, next_attempt_at), the log reads an
 * endpoint's deliveries newest first through (endpoint_id, created_at, id).
 */
export class Webhooks1732000000907 implements MigrationInterface {
  name = 'Webhooks1732000000907';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [idColumn(), text('url', 2000), text('events', 1000), text('secret', 100), time('created_at'), time('deleted_at', true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          idColumn(),
          uuid('endpoint_id'),
          uuid('event_id'),
          text('event_type', 100),
          longText('body'),
          text('status', 16),
          int('attempts', 0),
          time('next_attempt_at', true),
          time('last_attempt_at', true),
          int('response_status', undefined, true),
          time('retry_from'),
          time('created_at'),
        ],
        indices: [
          { name: 'uq_webhook_deliveries_event', columnNames: ['endpoint_id', 'event_id'], isUnique: true },
          { name: 'idx_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'idx_webhook_deliveries_log', columnNames: ['endpoint_id', 'created_at', 'id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_endpoints');
  }
}
