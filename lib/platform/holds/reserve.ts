// The try step, written once: write an order's hold rows and take what they hold in one
// transaction, idempotent per order id, so a retried or racing call for the same order holds once.
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { isDuplicateKey, type Database } from '../db/database.js';
import { queueWrite } from '../db/folded-statements.js';
import { userError } from '../../contracts/errors.js';
import type { HoldKind, HoldRow, HoldRowInput } from './hold-kind.js';
import { clearGivenBack, holdsOf } from './hold-rows.js';
import { LIVE_STATUSES } from './lifecycle.js';

export interface Taken<Row extends HoldRow, Answer> {
  answer: Answer;
  /** What the take settled on (a discount, the credit debited), recorded on the order's rows. */
  recorded?: Partial<HoldRowInput<Row>>;
}

export interface Reservation<Row extends HoldRow, Answer> {
  orderId: string;
  /** The rows to hold; the module writes them HELD, expiring after the hold TTL. */
  lines: HoldRowInput<Row>[];
  /** Takes what the rows hold, in their transaction; throws to refuse, and nothing is kept. */
  take(em: EntityManager): Promise<Taken<Row, Answer>>;
  /** The answer a retried call gets from the order's live rows. */
  answerFrom(em: EntityManager, live: Row[]): Promise<Answer>;
}

/** A row for this order exists already: another call for the same order came first. */
class AlreadyHeld extends Error {}

export async function reserve<Row extends HoldRow, Answer>(
  { db, holdTtlMs }: { db: Database; holdTtlMs: number },
  kind: HoldKind<Row>,
  reservation: Reservation<Row, Answer>,
): Promise<Answer> {
  try {
    return await takeFresh(db, holdTtlMs, kind, reservation);
  } catch (err) {
    if (!(err instanceof AlreadyHeld)) throw err;
  }
  // A retried or racing call for the same order. Live holds are its answer; holds a failed
  // attempt gave back (released or expired) are cleared so that this attempt can hold afresh.
  const live = await holdsOf(db.manager, kind, reservation.orderId, LIVE_STATUSES);
  if (live.length) return reservation.answerFrom(db.manager, live);
  if (!(await clearGivenBack(db, kind, reservation.orderId))) throw userError('CONFLICT', 'This order is being placed by another request; try again');
  return takeFresh(db, holdTtlMs, kind, reservation);
}

/**
 * The rows' INSERT is queued (folded-statements.ts) and travels with the take's first statement. A
 * row of this order that exists already fails the whole transaction with a duplicate key: the
 * only insert here, so that failure means another call for the order came first.
 */
async function takeFresh<Row extends HoldRow, Answer>(db: Database, holdTtlMs: number, kind: HoldKind<Row>, r: Reservation<Row, Answer>): Promise<Answer> {
  return db
    .transaction(async (em) => {
      const now = new Date();
      const rows = r.lines.map((line) => ({ ...line, status: 'HELD', expiresAt: new Date(now.getTime() + holdTtlMs), createdAt: now }));
      await queueWrite(
        em,
        em
          .createQueryBuilder()
          .insert()
          .into(kind.entity)
          .values(rows as QueryDeepPartialEntity<Row>[]),
      );
      const { answer, recorded } = await r.take(em);
      if (recorded) await em.update(kind.entity, { orderId: r.orderId } as FindOptionsWhere<Row>, recorded as QueryDeepPartialEntity<Row>);
      return answer;
    })
    .catch((err) => Promise.reject(isDuplicateKey(err) ? new AlreadyHeld() : err));
}
