import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createMessagingTables } from '../../../../../lib/platform/messaging/outbox-tables.js';
import { idColumn, int, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

export class CreateOrderSchema1732000000003 implements MigrationInterface {
  name = 'CreateOrderSchema1732000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'orders',
        columns: [
          idColumn(),
          uuid('customer_id'),
          text('status', 24),
          int('subtotal'),
          int('discount'),
          int('store_credit_applied'),
          int('amount_due'),
          text('currency', 3),
          text('coupon_code', 64, true),
          text('cancellation_reason', 500, true),
          text('idempotency_key', 200, true),
          int('sequence'),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          { name: 'idx_orders_customer', columnNames: ['customer_id', 'created_at'] },
          { name: 'idx_orders_idempotency', columnNames: ['customer_id', 'idempotency_key'], isUnique: true },
          { name: 'idx_orders_open', columnNames: ['status', 'created_at'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'order_items',
        columns: [
          { ...uuid('order_id'), isPrimary: true },
          { ...uuid('product_id'), isPrimary: true },
          text('name', 200),
          int('quantity'),
          int('unit_price'),
          text('currency', 3),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'order_status_changes',
        columns: [{ ...uuid('order_id'), isPrimary: true }, { ...int('sequence'), isPrimary: true }, text('status', 24), text('reason', 500, true), time('at')],
      }),
    );
    await createMessagingTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inbox', 'outbox', 'order_status_changes', 'order_items', 'orders']) await q.dropTable(t);
  }
}
