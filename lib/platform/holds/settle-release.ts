// The moves that end a hold (paid, cancelled, undone, expired), rows in line order. Each row
// moves with a conditional UPDATE (all of an order's in one round trip), and only the call that
// moved a row gives back or uses up what it held, so two racing cancellations (or a cancellation
// and the sweeper) give back exactly once.
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database.js';
import type { HoldKind, HoldRow } from './hold-kind.js';
import { lockedHoldsOf, moveHolds, overdueOrders } from './hold-rows.js';
import { effectOf, type HoldEffect } from './lifecycle.js';

type Ending = 'SETTLED' | 'RELEASED' | 'EXPIRED';

interface Moved<Row> {
  /** Rows this call moved. */
  moved: Row[];
  /** Expired rows whose resource was no longer available to use up (they stay EXPIRED). */
  missed: Row[];
}

async function endHolds<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string, to: Ending): Promise<Moved<Row>> {
  const result: Moved<Row> = { moved: [], missed: [] };
  const moving: { hold: Row; effect: HoldEffect }[] = [];
  // Read under a lock: a plain read sees the transaction's MySQL snapshot (in a batch, as of its
  // first statement), where a hold that order.created confirmed since still looks HELD; the move
  // from HELD would then change nothing and the order's stock would never be sold or given back.
  for (const hold of await lockedHoldsOf(em, kind, orderId)) {
    const effect = effectOf(hold.status, to);
    if (effect === null) continue;
    if (effect === 'use-up-afresh') {
      // Nothing else moves an expired hold while its order is being paid, so take, then mark.
      if (!kind.useUpAfresh) continue;
      if (!(await kind.useUpAfresh(em, hold))) {
        result.missed.push(hold);
        continue;
      }
    }
    moving.push({ hold, effect });
  }
  // Every row's move in one round trip; what a move implies follows for the rows this call moved.
  const moved = await moveHolds(
    em,
    kind,
    moving.map((m) => m.hold),
    to,
  );
  for (const [i, { hold, effect }] of moving.entries()) {
    if (!moved[i]) continue;
    result.moved.push(hold);
    if (effect === 'give-back') await kind.giveBack(em, hold);
    if (effect === 'use-up') await kind.useUp?.(em, hold);
  }
  return result;
}

/** order.paid: live rows are used up, expired ones from what is available now (when the kind can). */
export const settleHolds = <Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string) => endHolds(em, kind, orderId, 'SETTLED');

/** order.cancelled or the try step's undo: gives back live rows, marks expired ones; how many rows moved. */
export async function releaseHolds<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string): Promise<number> {
  return (await endHolds(em, kind, orderId, 'RELEASED')).moved.length;
}

/** Gives back an order's unconfirmed rows; how many moved. */
export async function expireHolds<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string): Promise<number> {
  return (await endHolds(em, kind, orderId, 'EXPIRED')).moved.length;
}

/** The sweeper: expires holds never confirmed within HOLD_TTL (a crash between the try step and the confirm). */
export async function sweepHolds<Row extends HoldRow>(db: Database, kind: HoldKind<Row>, now = new Date()): Promise<number> {
  let expired = 0;
  for (const orderId of await overdueOrders(db, kind, now)) expired += await db.transaction((em) => expireHolds(em, kind, orderId));
  return expired;
}
