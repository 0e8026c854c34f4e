import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createMessagingTables } from '../../../../../lib/platform/messaging/outbox-tables.js';
import { idColumn, int, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

export class CreatePaymentSchema1732000000004 implements MigrationInterface {
  name = 'CreatePaymentSchema1732000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'payments',
        columns: [
          idColumn(),
          { ...uuid('order_id'), isUnique: true },
          uuid('customer_id'),
          int('amount'),
          text('currency', 3),
          text('status', 16),
          text('session_id', 255, true),
          text('checkout_url', 1000, true),
          text('payment_intent_id', 255, true),
          text('refund_id', 255, true),
          time('paid_at', true),
          text('traceparent', 64, true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [{ name: 'idx_payments_session', columnNames: ['session_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payment_log',
        columns: [{ ...text('event_id', 255), isPrimary: true }, text('type', 100), time('received_at'), text('outcome', 40), text('detail', 1000, true)],
      }),
    );
    await q.createTable(new Table({ name: 'order_cancellations', columns: [idColumn('order_id'), time('at')] }));
    await createMessagingTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inbox', 'outbox', 'order_cancellations', 'payment_log', 'payments']) await q.dropTable(t);
  }
}
