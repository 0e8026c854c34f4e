// Events for rows that existed before their service published them, written by a migration
// straight into the outbox for the relay's poll to publish. Raw SQL over raw rows, not entities,
// so later changes to the entities do not change what an old migration reads.
import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import type { NewEvent } from '../../contracts/events.js';
import { sqlTime } from '../db/database.js';

/** Rows per SELECT and per multi-row INSERT: bounded memory and statement size on big tables. */
const PAGE = 200;

/** Pages through `select` in order of its key column and writes one event per row. */
export async function backfillEvents<Row extends object>(
  q: QueryRunner,
  select: string,
  key: keyof Row & string,
  eventOf: (row: Row) => NewEvent,
): Promise<void> {
  const filter = select.includes(' WHERE ') ? 'AND' : 'WHERE';
  let after = '';
  for (;;) {
    const page: Row[] = await q.query(`${select} ${filter} ${key} > ? ORDER BY ${key} LIMIT ${PAGE}`, [after]);
    if (!page.length) return;
    await insertOutboxRows(q, page.map(eventOf));
    after = String(page[page.length - 1]![key]);
  }
}

/** Outbox rows as the relay reads them: unsent, no trace (no request started them). */
async function insertOutboxRows(q: QueryRunner, events: NewEvent[]): Promise<void> {
  const now = sqlTime(new Date());
  const values = events.flatMap((e) => [randomUUID(), e.type, e.aggregateId, e.sequence ?? null, JSON.stringify(e.data), null, now, null]);
  const placeholders = events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  await q.query(`INSERT INTO outbox (id, type, aggregate_id, sequence, payload, traceparent, occurred_at, sent_at) VALUES ${placeholders}`, values);
}
