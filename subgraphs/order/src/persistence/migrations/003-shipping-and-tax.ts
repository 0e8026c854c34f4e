import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, longText, text, time } from '../../../../../lib/platform/db/columns.js';

/**
 * Orders gain their contact email, addresses (JSON text), shipping method, shipping and tax;
 * shipping methods and tax rates get tables of their own. Orders from before keep 0 shipping and tax.
 */
export class ShippingAndTax1732000000403 implements MigrationInterface {
  name = 'ShippingAndTax1732000000403';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('orders', [
      new TableColumn(text('email', 254, true)),
      new TableColumn(longText('shipping_address', true)),
      new TableColumn(longText('billing_address', true)),
      new TableColumn(text('shipping_method_code', 64, true)),
      new TableColumn(text('shipping_method_name', 200, true)),
      new TableColumn(int('shipping', 0)),
      new TableColumn(int('tax', 0)),
      new TableColumn({ name: 'tax_included', type: 'boolean', default: false }),
    ]);
    await q.createTable(
      new Table({
        name: 'shipping_methods',
        columns: [
          { ...text('code', 64), isPrimary: true },
          text('name', 200),
          int('price'),
          text('currency', 3),
          longText('countries'),
          int('free_over', undefined, true),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'tax_rates',
        columns: [
          { ...text('country', 2), isPrimary: true },
          { ...text('region', 100), isPrimary: true },
          int('rate'),
          { name: 'applies_to_shipping', type: 'boolean' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('tax_rates');
    await q.dropTable('shipping_methods');
    for (const c of ['tax_included', 'tax', 'shipping', 'shipping_method_name', 'shipping_method_code', 'billing_address', 'shipping_address', 'email']) {
      await q.dropColumn('orders', c);
    }
  }
}
