import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The staff order list reads newest first (created_at DESC, id DESC) under one optional filter at a
 * time: an index per way in, each ending in (created_at, id), so a page walks the index and stops.
 */
export class OrderListIndexes1732000000706 implements MigrationInterface {
  name = 'OrderListIndexes1732000000706';

  private readonly indices = [
    new TableIndex({ name: 'idx_orders_created', columnNames: ['created_at', 'id'] }),
    new TableIndex({ name: 'idx_orders_customer_created', columnNames: ['customer_id', 'created_at', 'id'] }),
    new TableIndex({ name: 'idx_orders_status_created', columnNames: ['status', 'created_at', 'id'] }),
    new TableIndex({ name: 'idx_orders_email_created', columnNames: ['email', 'created_at', 'id'] }),
  ];

  async up(q: QueryRunner): Promise<void> {
    for (const index of this.indices) await q.createIndex('orders', index);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of this.indices) await q.dropIndex('orders', index.name!);
  }
}
