import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createMessagingTables } from '../../../../../lib/platform/messaging/outbox-tables.js';
import { idColumn, int, longText, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

export class CreateInventorySchema1732000000002 implements MigrationInterface {
  name = 'CreateInventorySchema1732000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'products',
        columns: [
          idColumn(),
          { ...text('sku', 64), isUnique: true },
          text('name', 200),
          longText('description', true),
          int('price'),
          text('currency', 3),
          int('stock_on_hand', 0),
          int('held', 0),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stock_holds',
        columns: [
          { ...uuid('order_id'), isPrimary: true },
          { ...uuid('product_id'), isPrimary: true },
          int('quantity'),
          text('status', 16),
          time('expires_at'),
          time('created_at'),
        ],
        indices: [{ name: 'idx_stock_holds_sweep', columnNames: ['status', 'expires_at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'shipments',
        columns: [idColumn('order_id'), time('ship_at'), time('shipped_at', true)],
        indices: [{ name: 'idx_shipments_due', columnNames: ['shipped_at', 'ship_at'] }],
      }),
    );
    await createMessagingTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inbox', 'outbox', 'shipments', 'stock_holds', 'products']) await q.dropTable(t);
  }
}
