// Applies the events a service has received together in one transaction. Under load a service's
// consumers hold several deliveries at once (prefetch, across all its queues), and applying each
// in its own transaction cost a BEGIN, an inbox INSERT and a COMMIT (with its log flush) apiece:
// most of a consumer's statements and socket writes. Here a few batches run at a time; whatever
// arrives meanwhile waits and goes into the next one, so a quiet service still applies an event
// at once, alone, and a busy one applies what is queued in one transaction with one multi-row
// inbox INSERT. If a batch fails for any reason (one effect throws, a duplicate another instance
// applied meanwhile, a lock timeout), it is rolled back whole and each event is applied alone, as
// before: a bad event fails only its own delivery and is retried or dead-lettered by itself.
import { sqlTime } from '../db/database.js';
import { queueWrite } from '../db/folded-statements.js';
import type { Logger } from '../observability/logger.js';
import type { EventEnvelope } from '../../contracts/events.js';
import { InboxEntity } from './outbox-tables.js';
import type { Transact, Transaction } from './transaction.js';

/** 'applied', 'stale' (superseded or illegal for the current state: acked, never retried), or 'duplicate'. */
export type BatchOutcome = 'applied' | 'stale' | 'duplicate';

export interface InboxWork {
  /** `${service}:${eventType}`: the inbox remembers applied events per consumer. */
  consumer: string;
  event: EventEnvelope;
  /** The consumer's effect, in the shared transaction. */
  apply(tx: Transaction): Promise<'applied' | 'stale'>;
}

interface Waiting extends InboxWork {
  done(outcome: BatchOutcome): void;
  failed(err: unknown): void;
}

/** Events per transaction: bounded so that a long queue never becomes one long lock-holding transaction. */
const MAX_BATCH = 50;
/** Transactions at a time per service: what waits meanwhile forms the next batch. */
const CONCURRENT_BATCHES = 2;

export class InboxBatcher {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly transact: Transact,
    private readonly log: Logger,
  ) {}

  /** Resolves once the event's effect committed (or was found applied before); rejects if it failed alone. */
  submit(work: InboxWork): Promise<BatchOutcome> {
    return new Promise<BatchOutcome>((done, failed) => {
      this.waiting.push({ ...work, done, failed });
      this.pump();
    });
  }

  private pump() {
    while (this.running < CONCURRENT_BATCHES && this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const outcomes = await this.transact(async (tx) => {
          await insertInbox(tx, batch);
          const applied: ('applied' | 'stale')[] = [];
          for (const work of batch) applied.push(await work.apply(tx));
          return applied;
        });
        batch.forEach((work, i) => work.done(outcomes[i]!));
        return;
      } catch (err) {
        this.log.debug({ err: (err as Error).message, events: batch.length }, 'batch rolled back; applying its events one at a time');
      }
    }
    await Promise.all(batch.map((work) => this.alone(work)));
  }

  /**
   * One event in its own transaction. Its inbox row is queued and travels with the effect's first
   * statement (one round trip less per event on MySQL); a duplicate fails the transaction wherever it
   * surfaces, so after any failure the inbox is asked whether the event was applied before.
   */
  private async alone(work: Waiting): Promise<void> {
    try {
      const outcome = await this.transact(async (tx) => {
        await insertInbox(tx, [work]);
        return work.apply(tx);
      });
      work.done(outcome);
    } catch (err) {
      if (await this.appliedBefore(work).catch(() => false)) work.done('duplicate');
      else work.failed(err);
    }
  }

  /** Only after a failure, so a transaction of its own is fine (the batcher holds no other handle on the database). */
  private appliedBefore({ event, consumer }: InboxWork): Promise<boolean> {
    return this.transact((tx) => tx.em.existsBy(InboxEntity, { eventId: event.id, consumer }));
  }
}

/**
 * One INSERT for the whole batch, without TypeORM's query builder (a hot path: every event passes
 * here). Queued (folded-statements.ts): a duplicate fails the whole transaction, never just itself.
 */
async function insertInbox(tx: Transaction, batch: InboxWork[]): Promise<void> {
  const at = sqlTime(new Date());
  await queueWrite(
    tx.em,
    `INSERT INTO inbox (event_id, consumer, processed_at) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`,
    batch.flatMap((w) => [w.event.id, w.consumer, at]),
  );
}
