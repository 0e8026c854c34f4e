import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, int, text, time, uuid } from '../../../../../lib/platform/db/columns.js';

/**
 * Refunds as rows: admin refunds (part or all of a payment) and the cancellation's refund.
 * `payments.refund_reserved` is the sum of the refunds not failed, raised by one conditional
 * UPDATE before a refund reaches Stripe, so racing refunds can never add up to more than was paid.
 */
export class Refunds1732000000704 implements MigrationInterface {
  name = 'Refunds1732000000704';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('payments', new TableColumn(int('refund_reserved', 0)));
    await q.createTable(
      new Table({
        name: 'refunds',
        columns: [
          idColumn(),
          uuid('payment_id'),
          text('kind', 16),
          int('amount'),
          text('currency', 3),
          text('status', 16),
          text('reason', 500, true),
          text('stripe_refund_id', 255, true),
          int('key_generation', 0),
          uuid('actor_id', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          { name: 'idx_refunds_payment', columnNames: ['payment_id', 'created_at'] },
          { name: 'idx_refunds_stripe', columnNames: ['stripe_refund_id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('refunds');
    await q.dropColumn('payments', 'refund_reserved');
  }
}
