// The outbox and inbox tables every subgraph has: events written in a use case's transaction wait
// in `outbox` until the relay has them confirmed by the broker; `inbox` remembers which events a
// consumer has applied, so a redelivery changes nothing.
import { EntitySchema, Table, type QueryRunner } from 'typeorm';
import { col, idColumn, int, longText, text, time } from '../db/columns.js';

export interface OutboxRow {
  position: number;
  id: string;
  type: string;
  aggregateId: string;
  sequence: number | null;
  payload: string;
  traceparent: string | null;
  occurredAt: Date;
  sentAt: Date | null;
}

export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'OutboxRow',
  tableName: 'outbox',
  columns: {
    position: { type: 'integer', primary: true, generated: 'increment' },
    id: { ...col.uuid(), unique: true },
    type: col.text(64),
    aggregateId: { ...col.uuid(), name: 'aggregate_id' },
    sequence: { ...col.int(true) },
    payload: col.longText(),
    traceparent: { ...col.text(64, true) },
    occurredAt: { ...col.time(), name: 'occurred_at' },
    sentAt: { ...col.time(true), name: 'sent_at' },
  },
  indices: [{ name: 'idx_outbox_pending', columns: ['sentAt', 'position'] }],
});

export interface InboxRow {
  eventId: string;
  consumer: string;
  processedAt: Date;
}

export const InboxEntity = new EntitySchema<InboxRow>({
  name: 'InboxRow',
  tableName: 'inbox',
  columns: {
    eventId: { ...col.uuid(), primary: true, name: 'event_id' },
    consumer: { ...col.text(100), primary: true },
    processedAt: { ...col.time(), name: 'processed_at' },
  },
});

/** The outbox and inbox tables, created by each subgraph's first migration. */
export async function createMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.createTable(
    new Table({
      name: 'outbox',
      columns: [
        { name: 'position', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { ...text('id', 36), isUnique: true },
        text('type', 64),
        text('aggregate_id', 36),
        int('sequence', undefined, true),
        longText('payload'),
        text('traceparent', 64, true),
        time('occurred_at'),
        time('sent_at', true),
      ],
      indices: [{ name: 'idx_outbox_pending', columnNames: ['sent_at', 'position'] }],
    }),
  );
  await queryRunner.createTable(
    new Table({
      name: 'inbox',
      columns: [{ ...idColumn('event_id') }, { ...text('consumer', 100), isPrimary: true }, time('processed_at')],
    }),
  );
}
