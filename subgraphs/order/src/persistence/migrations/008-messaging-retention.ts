import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addRetentionIndexes, dropRetentionIndexes } from '../../../../../lib/platform/messaging/retention.js';

/** The index the retention purge walks to find old inbox rows (lib/platform/messaging/retention.ts). */
export class MessagingRetention1732000001803 implements MigrationInterface {
  name = 'MessagingRetention1732000001803';

  async up(q: QueryRunner): Promise<void> {
    await addRetentionIndexes(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropRetentionIndexes(q);
  }
}
