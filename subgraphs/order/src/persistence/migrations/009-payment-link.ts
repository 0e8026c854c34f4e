import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { text, uuid } from '../../../../../lib/platform/db/columns.js';

/**
 * The payment link payment.checkout_created announces (the Payment's id, its Checkout Session and
 * URL), kept on the order so that live pushes carry it without a fetch from the payment subgraph.
 */
export class PaymentLink1732000001809 implements MigrationInterface {
  name = 'PaymentLink1732000001809';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('orders', [
      new TableColumn(uuid('payment_id', true)),
      new TableColumn(text('checkout_session_id', 255, true)),
      new TableColumn(text('checkout_url', 1000, true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('orders', ['payment_id', 'checkout_session_id', 'checkout_url']);
  }
}
