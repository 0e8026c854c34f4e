// Storage that levels off: sent outbox rows older than OUTBOX_RETENTION and inbox rows older than
// INBOX_RETENTION are deleted by a background job in every subgraph (runtime/subgraph.ts). Unsent
// outbox rows are never touched: they are events the broker has not confirmed yet.
//
// The checkout writes to both tables, so the purge must never make it wait for long: each batch is
// its own short transaction over a few hundred rows, with a pause between batches, and a run stops
// after a bounded number of batches (the next run carries on). On SQLite one statement deletes
// through a subquery on the rowid (no DELETE … LIMIT in a default build); it takes its turn with the
// other writers like any transaction. On MySQL/MariaDB the keys are read first without locking and
// then deleted by primary key, the age condition checked again: a DELETE … WHERE <range> would also
// lock gaps of the time index (REPEATABLE READ) that the relay's marking and new inbox rows insert into.
import { TableIndex, type QueryRunner } from 'typeorm';
import { sqlTime, type Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';

export type MessagingTable = 'outbox' | 'inbox';

export interface RetentionOptions {
  /** Sent outbox rows older than this are deleted. */
  outboxRetentionMs: number;
  /** Inbox rows older than this are deleted (config keeps it above the redelivery window). */
  inboxRetentionMs: number;
  /** Rows per DELETE. */
  batchSize?: number;
  /** DELETEs per table per run: bounds one run's work, the next run carries on. */
  maxBatches?: number;
  /** Pause between two DELETEs, so the checkout's writes get their turn. */
  pauseMs?: number;
  /** The time the ages are measured from (tests pass their own, to purge without waiting). */
  now?: Date;
  /** Runs after each DELETE with the rows it removed (metrics). */
  onPurged?: (table: MessagingTable, rows: number) => void;
}

export const PURGE_BATCH_SIZE = 500;
export const PURGE_MAX_BATCHES = 50;
export const PURGE_PAUSE_MS = 20;

interface TableSpec {
  /** The rows old enough to go, by a time column the table has an index on. */
  old: string;
  /** Index order of `old`, so a batch walks the index from its oldest end. */
  order: string;
  /** The primary key as MySQL selects and matches it. */
  key: string[];
}

const TABLES: Record<MessagingTable, TableSpec> = {
  // idx_outbox_pending (sent_at, position); a NULL sent_at never matches `<`, the first condition says so anyway.
  outbox: { old: 'sent_at IS NOT NULL AND sent_at < ?', order: 'sent_at, position', key: ['position'] },
  // idx_inbox_processed (processed_at), added by each subgraph's retention migration.
  inbox: { old: 'processed_at < ?', order: 'processed_at', key: ['event_id', 'consumer'] },
};

/** Deletes what is past retention in both tables, batch by batch; returns the rows removed per table. */
export async function purgeMessaging(db: Database, options: RetentionOptions): Promise<Record<MessagingTable, number>> {
  const now = (options.now ?? new Date()).getTime();
  return {
    outbox: await purgeTable(db, 'outbox', new Date(now - options.outboxRetentionMs), options),
    inbox: await purgeTable(db, 'inbox', new Date(now - options.inboxRetentionMs), options),
  };
}

async function purgeTable(db: Database, table: MessagingTable, before: Date, options: RetentionOptions): Promise<number> {
  const size = options.batchSize ?? PURGE_BATCH_SIZE;
  const cutoff = sqlTime(before);
  let total = 0;
  for (let batch = 0; batch < (options.maxBatches ?? PURGE_MAX_BATCHES); batch++) {
    if (batch > 0) await new Promise((r) => setTimeout(r, options.pauseMs ?? PURGE_PAUSE_MS));
    const deleted = db.dialect === 'sqlite' ? await deleteSqlite(db, table, cutoff, size) : await deleteMysql(db, table, cutoff, size);
    if (deleted) options.onPurged?.(table, deleted);
    total += deleted;
    if (deleted < size) break;
  }
  return total;
}

async function deleteSqlite(db: Database, table: MessagingTable, cutoff: string, size: number): Promise<number> {
  const { old, order } = TABLES[table];
  // A plain read first: most runs find nothing, and need not wait for the writer's turn to say so.
  const [any] = await db.manager.query(`SELECT 1 AS found FROM ${table} WHERE ${old} LIMIT 1`, [cutoff]);
  if (!any) return 0;
  const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${old} ORDER BY ${order} LIMIT ${size})`;
  return db.transaction(async (em) => (await em.queryRunner!.query(sql, [cutoff], true)).affected ?? 0);
}

async function deleteMysql(db: Database, table: MessagingTable, cutoff: string, size: number): Promise<number> {
  const { old, order, key } = TABLES[table];
  // A plain (consistent, lock-free) read of the keys; the DELETE below locks only those rows.
  const rows: Record<string, unknown>[] = await db.manager.query(`SELECT ${key.join(', ')} FROM ${table} WHERE ${old} ORDER BY ${order} LIMIT ${size}`, [
    cutoff,
  ]);
  if (!rows.length) return 0;
  const tuple = `(${key.map(() => '?').join(', ')})`;
  const match = key.length === 1 ? `${key[0]} IN (${rows.map(() => '?').join(', ')})` : `(${key.join(', ')}) IN (${rows.map(() => tuple).join(', ')})`;
  const params = rows.flatMap((row) => key.map((k) => row[k]));
  // The age is checked again: a row is only ever deleted when it is past retention at delete time.
  const sql = `DELETE FROM ${table} WHERE ${match} AND ${old}`;
  return db.transaction(async (em) => (await em.queryRunner!.query(sql, [...params, cutoff], true)).affected ?? 0);
}

/** The purge as a background job's body: logs what it removed, when it removed anything. */
export async function purgeMessagingJob(db: Database, log: Logger, options: RetentionOptions): Promise<void> {
  const purged = await purgeMessaging(db, options);
  if (purged.outbox || purged.inbox) log.debug({ purged }, 'purged outbox and inbox rows past retention');
}

/** The inbox's index on processed_at, which the purge walks (a fresh object per use: TypeORM keeps it in its table metadata). */
const inboxRetentionIndex = () => new TableIndex({ name: 'idx_inbox_processed', columnNames: ['processed_at'] });

/** For the subgraphs' migrations: the index the inbox purge needs (the outbox's idx_outbox_pending serves its own). */
export async function addRetentionIndexes(q: QueryRunner): Promise<void> {
  await q.createIndex('inbox', inboxRetentionIndex());
}

export async function dropRetentionIndexes(q: QueryRunner): Promise<void> {
  await q.dropIndex('inbox', inboxRetentionIndex().name!);
}
