import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Shipments remember the trace of the payment that triggered them, so shipping continues it. */
export class ShipmentTraceparent1732000000102 implements MigrationInterface {
  name = 'ShipmentTraceparent1732000000102';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('shipments', new TableColumn({ name: 'traceparent', type: 'varchar', length: '64', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('shipments', 'traceparent');
  }
}
