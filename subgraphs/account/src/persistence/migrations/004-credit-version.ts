import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int } from '../../../../../lib/platform/db/columns.js';

/**
 * A version for each customer's store credit balance, moved by the same UPDATE as the balance:
 * customer.credit_changed carries it as its sequence, so carts keep the newest balance whatever
 * order the events arrive in.
 */
export class CreditVersion1732000000401 implements MigrationInterface {
  name = 'CreditVersion1732000000401';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('customers', new TableColumn(int('credit_version', 0)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('customers', 'credit_version');
  }
}
