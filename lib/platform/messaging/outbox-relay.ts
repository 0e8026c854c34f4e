// The outbox relay. Right after a transaction commits, its events are handed here (see
// transaction.ts) and published straight from memory, then marked sent once the broker confirmed
// them (one statement, no polling delay). Whatever that misses (a crash, the broker down) the poll
// finds later: rows still unsent after a grace period, claimed in order, marked sent only after the
// confirm. On MySQL several relays share one outbox by claiming rows with FOR UPDATE SKIP LOCKED;
// SQLite has one writer, whose transactions already take turns. A row published twice (a crash
// between the confirm and the mark) is absorbed by the consumers' inbox.
import { parseSqlTime, sqlTime, type Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { EventEnvelope } from '../../contracts/events.js';
import { OutboxEntity } from './outbox-tables.js';
import type { Broker } from './port.js';

/** Ids per UPDATE when marking confirmed events sent. */
const MARK_CHUNK = 500;
/**
 * How long a mark waits for the confirms of other commits to join it. The events are already
 * published, so the wait delays nothing but the mark; at checkout rates it turns one UPDATE per
 * commit into one per ~250 ms (each statement costs a socket write here and work in the
 * database). Far below the poll's grace, so the poll doesn't take these rows; a crash meanwhile
 * leaves them to it, and the consumers' inbox absorbs the second copy, as for any crash here.
 */
const MARK_GATHER_MS = 250;

export interface RelayOptions {
  batchSize?: number;
  /** How often the relay looks for rows left unsent (a crash, the broker down, another instance). */
  pollIntervalMs?: number;
  /** How old an unsent row must be before the poll takes it (younger ones are being published after their commit). */
  graceMs?: number;
  /**
   * Test hook: runs after the broker confirmed events and before they are marked sent. Throwing
   * here is a crash at the worst moment: the rows stay unsent and are published again. It may
   * call stop() but must not await it.
   */
  afterConfirm?: (batch: EventEnvelope[]) => Promise<void> | void;
  /** Runs once a batch is confirmed and marked sent (metrics). */
  onPublished?: (batch: EventEnvelope[]) => void;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private failures = 0;
  /** Publications of committed transactions still waiting for their confirm. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Their events' ids, until marked sent or failed: the poll leaves these to them. */
  private readonly publishing = new Set<string>();
  /** The UPDATE marking confirmed events sent that is running, and the one gathering ids for after it. */
  private marking: Promise<void> = Promise.resolve();
  private nextMark: { ids: string[]; done: Promise<void> } | null = null;

  constructor(
    private readonly db: Database,
    private readonly broker: Broker,
    private readonly log: Logger,
    private readonly options: RelayOptions = {},
  ) {}

  /** Starts publishing: first everything left unsent (an earlier run's), then each commit's events. */
  start() {
    this.stopped = false;
    this.again = true;
    this.schedule(0);
  }

  /** Ask for a prompt pass over every unsent row, however young. */
  nudge = () => {
    if (this.stopped) return;
    this.again = true;
    if (!this.running) this.schedule(0);
  };

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([this.running, ...this.inFlight]);
  }

  /**
   * The events a transaction wrote, right after it committed: published and marked sent. Any
   * failure leaves the rows to the poll, so it is only logged.
   */
  publishCommitted(batch: EventEnvelope[]): void {
    if (this.stopped) return;
    for (const e of batch) this.publishing.add(e.id);
    const publication = (async () => {
      await this.broker.publish(batch);
      await this.options.afterConfirm?.(batch);
      await this.markSent(batch.map((e) => e.id));
      this.options.onPublished?.(batch);
    })()
      .catch((err) => this.log.debug({ err: (err as Error).message, events: batch.length }, 'publishing after commit failed; the relay poll will retry'))
      .finally(() => {
        this.inFlight.delete(publication);
        for (const e of batch) this.publishing.delete(e.id);
      });
    this.inFlight.add(publication);
  }

  /**
   * Marks confirmed events sent. One UPDATE runs at a time, after MARK_GATHER_MS; events confirmed
   * meanwhile join it or the next one, so a few statements mark many commits' events.
   */
  private markSent(ids: string[]): Promise<void> {
    if (!this.nextMark) {
      const mark = { ids: [] as string[], done: Promise.resolve() };
      mark.done = this.marking.then(async () => {
        await new Promise((gathered) => setTimeout(gathered, MARK_GATHER_MS));
        this.nextMark = null;
        const at = sqlTime(new Date());
        for (let i = 0; i < mark.ids.length; i += MARK_CHUNK) {
          const chunk = mark.ids.slice(i, i + MARK_CHUNK);
          await this.db.write(`UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND id IN (${chunk.map(() => '?').join(', ')})`, [at, ...chunk]);
        }
      });
      this.marking = mark.done.catch(() => undefined);
      this.nextMark = mark;
    }
    this.nextMark.ids.push(...ids);
    return this.nextMark.done;
  }

  /** Publishes every unsent row now, however young; returns how many events went out. */
  drain(): Promise<number> {
    return this.publishPending(0);
  }

  private async publishPending(graceMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch(graceMs);
      total += n;
      if (n < (this.options.batchSize ?? 200)) return total;
    }
  }

  private schedule(delay: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick() {
    if (this.stopped || this.running) return;
    const graceMs = this.again ? 0 : (this.options.graceMs ?? 2000);
    this.again = false;
    this.running = this.publishPending(graceMs)
      .then(() => {
        this.failures = 0;
      })
      .catch((err) => {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0)
          this.log.warn({ err: (err as Error).message, failures: this.failures }, 'outbox relay could not publish; will retry');
      })
      .finally(() => {
        this.running = null;
      });
    await this.running;
    if (this.stopped) return;
    const backoff = this.failures ? Math.min(100 * 2 ** this.failures, 2000) : 0;
    this.schedule(this.again && !backoff ? 0 : backoff || (this.options.pollIntervalMs ?? 500));
  }

  private async publishBatch(graceMs: number): Promise<number> {
    const limit = this.options.batchSize ?? 200;
    const lock = this.db.dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
    // The poll takes rows older than the grace period, up to the newest such position, found
    // without locking: a locking read filtered on occurred_at alone would lock (REPEATABLE READ)
    // the young rows it scans too, and hold up their marking while it waits for confirms.
    const [found] = graceMs
      ? await this.db.manager.query('SELECT MAX(position) AS upTo FROM outbox WHERE sent_at IS NULL AND occurred_at <= ?', [
          sqlTime(new Date(Date.now() - graceMs)),
        ])
      : await this.db.manager.query('SELECT MAX(position) AS upTo FROM outbox WHERE sent_at IS NULL');
    if (found?.upTo === null || found?.upTo === undefined) return 0;
    const published = await this.db.transaction(async (em) => {
      const unsent: Record<string, unknown>[] = await em.query(
        `SELECT position, id, type, aggregate_id, sequence, payload, traceparent, occurred_at FROM outbox WHERE sent_at IS NULL AND position <= ? ORDER BY position LIMIT ${limit}${lock}`,
        [Number(found.upTo)],
      );
      // Rows this relay is publishing after their commit (or waiting to mark) are theirs.
      const rows = unsent.filter((r) => !this.publishing.has(String(r.id)));
      if (rows.length === 0) return [];
      const batch = rows.map(toEnvelope);
      await this.broker.publish(batch);
      await this.options.afterConfirm?.(batch);
      const positions = rows.map((r) => Number(r.position));
      await em.createQueryBuilder().update(OutboxEntity).set({ sentAt: new Date() }).where('position IN (:...positions)', { positions }).execute();
      return batch;
    });
    if (published.length) this.options.onPublished?.(published);
    return published.length;
  }
}

function toEnvelope(row: Record<string, unknown>): EventEnvelope {
  const occurred = parseSqlTime(row.occurred_at);
  return {
    id: String(row.id),
    type: row.type as EventEnvelope['type'],
    occurredAt: occurred.toISOString(),
    aggregateId: String(row.aggregate_id),
    sequence: row.sequence === null || row.sequence === undefined ? 0 : Number(row.sequence),
    traceparent: (row.traceparent as string | null) ?? null,
    data: JSON.parse(String(row.payload)),
  };
}

/** Pending events and the age of the oldest, for metrics and health. */
export async function outboxBacklog(db: Database): Promise<{ pending: number; oldestAgeMs: number }> {
  const [row] = await db.manager.query(`SELECT COUNT(*) AS n, MIN(occurred_at) AS oldest FROM outbox WHERE sent_at IS NULL`);
  const n = Number(row?.n ?? 0);
  if (!n || !row.oldest) return { pending: 0, oldestAgeMs: 0 };
  const oldest = parseSqlTime(row.oldest);
  return { pending: n, oldestAgeMs: Math.max(0, Date.now() - oldest.getTime()) };
}
