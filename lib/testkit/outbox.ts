// Reading a service's outbox in tests: what a use case wrote, in the order it wrote it.
import type { Database } from '../platform/db/database.js';

export interface OutboxEvent {
  type: string;
  aggregateId: string;
  sequence: number | null;
  data: Record<string, unknown>;
  /** Marked sent by the relay once the broker confirmed it. */
  sent: boolean;
}

/** The outbox rows of one type and/or about one aggregate, oldest first. */
export async function outboxEvents(db: Database, filter: { type?: string; aggregateId?: string }): Promise<OutboxEvent[]> {
  const where = [filter.type && 'type = ?', filter.aggregateId && 'aggregate_id = ?'].filter(Boolean);
  const params = [filter.type, filter.aggregateId].filter((v) => v !== undefined);
  const rows: Record<string, any>[] = await db.manager.query(
    `SELECT type, aggregate_id, sequence, payload, sent_at FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position`,
    params,
  );
  return rows.map((r) => ({
    type: r.type,
    aggregateId: r.aggregate_id,
    sequence: r.sequence === null ? null : Number(r.sequence),
    data: JSON.parse(r.payload),
    sent: r.sent_at !== null,
  }));
}
