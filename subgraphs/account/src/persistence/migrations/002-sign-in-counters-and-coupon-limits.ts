import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, text, time } from '../../../../../lib/platform/db/columns.js';

/**
 * Sign-in throttling counters (kept in the database so that every account instance shares them),
 * coupons' per-customer limit and public flag, and an index for counting one customer's holds of
 * one coupon (the per-customer limit and the coupons list count them).
 */
export class SignInCountersAndCouponLimits1732000000201 implements MigrationInterface {
  name = 'SignInCountersAndCouponLimits1732000000201';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sign_in_counters',
        columns: [{ ...text('counter_key', 80), isPrimary: true }, time('window_start'), int('hits', 0)],
        indices: [{ name: 'idx_sign_in_counters_window', columnNames: ['window_start'] }],
      }),
    );
    await q.addColumn('coupons', new TableColumn(int('max_redemptions_per_customer', undefined, true)));
    await q.addColumn('coupons', new TableColumn({ name: 'is_public', type: 'boolean', default: false }));
    // The demo coupon, where an earlier version seeded it, becomes what the seed now makes.
    await q.query(`UPDATE coupons SET is_public = 1, max_redemptions_per_customer = 1 WHERE code = 'WELCOME10' AND customer_id IS NULL`);
    await q.createIndex('benefit_holds', new TableIndex({ name: 'idx_benefit_holds_customer_coupon', columnNames: ['customer_id', 'coupon_code'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('benefit_holds', 'idx_benefit_holds_customer_coupon');
    await q.dropColumn('coupons', 'is_public');
    await q.dropColumn('coupons', 'max_redemptions_per_customer');
    await q.dropTable('sign_in_counters');
  }
}
