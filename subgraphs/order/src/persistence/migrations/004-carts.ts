import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, int, longText, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

/**
 * Carts, the read models that price them (products, coupons, store credit, filled from catalog
 * and account events), and the guest flag on orders (orders from before are all customers').
 */
export class Carts1732000000504 implements MigrationInterface {
  name = 'Carts1732000000504';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('orders', new TableColumn({ name: 'is_guest', type: 'boolean', default: false }));
    await q.createTable(
      new Table({
        name: 'carts',
        columns: [
          idColumn(),
          uuid('owner_id', true),
          longText('lines'),
          text('email', 254, true),
          longText('shipping_address', true),
          longText('billing_address', true),
          text('shipping_method_code', 64, true),
          text('coupon_code', 64, true),
          { name: 'use_store_credit', type: 'boolean' },
          uuid('order_id', true),
          int('version'),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_carts_updated', columnNames: ['updated_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'catalog_products',
        columns: [idColumn('product_id'), text('name', 200), int('price'), text('currency', 3), { name: 'requires_shipping', type: 'boolean' }, int('version')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'catalog_coupons',
        columns: [
          { ...text('code', 64), isPrimary: true },
          int('percent_off', undefined, true),
          int('amount_off', undefined, true),
          text('currency', 3),
          uuid('customer_id', true),
          time('expires_at', true),
        ],
      }),
    );
    await q.createTable(new Table({ name: 'customer_credit', columns: [idColumn('customer_id'), int('store_credit'), int('version')] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['customer_credit', 'catalog_coupons', 'catalog_products', 'carts']) await q.dropTable(t);
    await q.dropColumn('orders', 'is_guest');
  }
}
