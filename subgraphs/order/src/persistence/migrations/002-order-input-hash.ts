import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Orders remember a hash of the checkout input, so a reused idempotency key with other input is a CONFLICT. */
export class OrderInputHash1732000000103 implements MigrationInterface {
  name = 'OrderInputHash1732000000103';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('orders', new TableColumn({ name: 'input_hash', type: 'varchar', length: '64', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('orders', 'input_hash');
  }
}
