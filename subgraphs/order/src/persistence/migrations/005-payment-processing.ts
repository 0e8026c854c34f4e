import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { time } from '../../../../../lib/platform/db/columns.js';

/** When a delayed payment (bank debit) completed checkout: such an order waits ASYNC_PAYMENT_WINDOW, not PAYMENT_WINDOW. */
export class PaymentProcessing1732000000605 implements MigrationInterface {
  name = 'PaymentProcessing1732000000605';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('orders', new TableColumn(time('payment_processing_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('orders', 'payment_processing_at');
  }
}
