import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createMessagingTables } from '../../../../../lib/platform/messaging/outbox-tables.js';
import { idColumn, int, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

export class CreateAccountSchema1732000000001 implements MigrationInterface {
  name = 'CreateAccountSchema1732000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'customers',
        columns: [
          idColumn(),
          { ...text('email', 254), isUnique: true },
          text('name', 200),
          text('role', 16),
          text('password_hash', 200),
          int('store_credit', 0),
          int('loyalty_points', 0),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'coupons',
        columns: [
          { ...text('code', 64), isPrimary: true },
          int('percent_off', undefined, true),
          int('amount_off', undefined, true),
          text('currency', 3),
          uuid('customer_id', true),
          time('expires_at', true),
          int('max_redemptions', undefined, true),
          int('redemptions', 0),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'benefit_holds',
        columns: [
          idColumn('order_id'),
          uuid('customer_id'),
          text('coupon_code', 64, true),
          int('discount', 0),
          int('credit', 0),
          text('status', 16),
          time('expires_at'),
          time('created_at'),
        ],
        indices: [{ name: 'idx_benefit_holds_sweep', columnNames: ['status', 'expires_at'] }],
      }),
    );
    await createMessagingTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inbox', 'outbox', 'benefit_holds', 'coupons', 'customers']) await q.dropTable(t);
  }
}
