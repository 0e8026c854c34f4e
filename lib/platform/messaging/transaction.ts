// A unit of work: one database transaction and the events it writes to the outbox. Its events go
// to the relay right after the commit, never after a rollback, and only those of the attempt that
// committed (Database.transaction re-runs the work after a deadlock). The relay and the trace
// context are handed in when the service opens its Transact, not found through module state.
import type { EntityManager } from 'typeorm';
import { sqlTime, type Database } from '../db/database.js';
import { queueWrite } from '../db/folded-statements.js';
import { newEventId, type EventEnvelope, type NewEvent } from '../../contracts/events.js';

export interface Transaction {
  em: EntityManager;
  /** Writes events to the outbox in this transaction; they are published once it commits. */
  enqueue(...events: NewEvent[]): Promise<void>;
}

/** Runs work in one transaction (retried on deadlock, so it must be safe to re-run). */
export type Transact = <T>(work: (tx: Transaction) => Promise<T>) => Promise<T>;

export interface TransactOptions {
  /** Takes the events of a committed transaction (the service's relay); must not throw, the commit stands. */
  publishCommitted?: (events: EventEnvelope[]) => void;
  /** The W3C trace context to stamp on events, so consumers continue the writer's trace. */
  traceparent?: () => string | null;
  /** Runs in the transaction that wrote these events, before it commits: see RuntimeOptions.withinTransaction. */
  withinTransaction?: WithinTransaction;
}

/** Work a service does for the events it writes, atomically with them, instead of consuming its own events. */
export type WithinTransaction = (em: EntityManager, written: EventEnvelope[]) => Promise<void>;

export function transactWith(db: Database, options: TransactOptions = {}): Transact {
  return async (work) => {
    const { result, written } = await db.transaction(async (em) => {
      const written: EventEnvelope[] = [];
      const enqueue = async (...events: NewEvent[]) => {
        written.push(...(await writeOutbox(em, events, options.traceparent?.() ?? null)));
      };
      const result = await work({ em, enqueue });
      if (written.length) await options.withinTransaction?.(em, written);
      return { result, written };
    });
    if (written.length) options.publishCommitted?.(written);
    return result;
  };
}

/**
 * For steps that hold only an EntityManager (a hold kind's give-back, a step inside another's
 * transaction, a seed run outside the service): writes the events to the outbox in that
 * transaction, and the relay's poll publishes these rows once they are committed.
 */
export async function writeOutboxIn(em: EntityManager, events: NewEvent[]): Promise<void> {
  await writeOutbox(em, events, null);
}

async function writeOutbox(em: EntityManager, events: NewEvent[], traceparent: string | null): Promise<EventEnvelope[]> {
  if (!events.length) return [];
  const now = new Date();
  const rows = events.map((e) => ({
    id: newEventId(),
    type: e.type,
    aggregateId: e.aggregateId,
    sequence: e.sequence ?? null,
    payload: JSON.stringify(e.data),
    traceparent,
  }));
  // One multi-row INSERT without TypeORM's query builder: every transaction that writes events passes
  // here. Queued: it travels with the transaction's next statement or its COMMIT.
  const at = sqlTime(now);
  await queueWrite(
    em,
    `INSERT INTO outbox (id, type, aggregate_id, sequence, payload, traceparent, occurred_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    rows.flatMap((r) => [r.id, r.type, r.aggregateId, r.sequence, r.payload, r.traceparent, at]),
  );
  return events.map((e, i) => ({
    id: rows[i]!.id,
    type: e.type,
    occurredAt: now.toISOString(),
    aggregateId: e.aggregateId,
    sequence: e.sequence ?? 0,
    traceparent,
    data: e.data,
  })) as EventEnvelope[];
}
