import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { longText, text, uuid } from '../../../../../lib/platform/db/columns.js';

/**
 * Shipping: products say whether they ship (existing ones do), and shipments keep the order's
 * customer (who may read it), the address it goes to, and the carrier and tracking number.
 */
export class Shipping1732000000402 implements MigrationInterface {
  name = 'Shipping1732000000402';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('products', new TableColumn({ name: 'requires_shipping', type: 'boolean', default: true }));
    await q.addColumns('shipments', [
      new TableColumn(uuid('customer_id', true)),
      new TableColumn(longText('address', true)),
      new TableColumn(text('carrier', 64, true)),
      new TableColumn(text('tracking_number', 64, true)),
    ]);
    await q.createIndex('shipments', new TableIndex({ name: 'uq_shipments_tracking_number', columnNames: ['tracking_number'], isUnique: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('shipments', 'uq_shipments_tracking_number');
    for (const c of ['tracking_number', 'carrier', 'address', 'customer_id']) await q.dropColumn('shipments', c);
    await q.dropColumn('products', 'requires_shipping');
  }
}
