// order.created, written once: the order exists, so its holds are confirmed. Rows the sweeper
// expired meanwhile (order.created was later than HOLD_TTL), or never written, are taken again,
// all or nothing; when that is no longer possible the caller tells the order subgraph to cancel.
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../messaging/inbox.js';
import type { HoldKind, HoldRow, HoldRowInput } from './hold-kind.js';
import { lockedHoldsOf, moveAllHolds, writeHolds } from './hold-rows.js';
import { effectOf, isFinal } from './lifecycle.js';

export interface Confirmation<Row extends HoldRow, Lost> {
  orderId: string;
  /** The rows the order says it holds (from order.created), as they are written when taken again. */
  expected: HoldRowInput<Row>[];
  /** Takes again what these rows hold, all or nothing: null when taken, else why the hold is lost. */
  takeAgain(em: EntityManager, lines: HoldRowInput<Row>[]): Promise<Lost | null>;
}

/** 'stale' when the order was paid or cancelled before this event, or there was nothing to confirm. */
export type Confirmed<Lost> = Outcome | { lost: Lost };

export async function confirmHolds<Row extends HoldRow, Lost>(em: EntityManager, kind: HoldKind<Row>, c: Confirmation<Row, Lost>): Promise<Confirmed<Lost>> {
  // Update first, then read under a lock: a plain read first would fix a MySQL snapshot in which
  // a hold the sweeper is expiring right now still looks HELD.
  const confirmed = await moveAllHolds(em, kind, c.orderId, 'HELD', 'CONFIRMED');
  // The usual case: every line's row was HELD and is now CONFIRMED (and locked by the update), so
  // none is final or expired and there is nothing to take again: no need to read them back.
  if (confirmed === c.expected.length) return 'applied';
  const holds = await lockedHoldsOf(em, kind, c.orderId);
  if (holds.some((h) => isFinal(h.status))) return 'stale';
  const sameLine = (h: Row, line: HoldRowInput<Row>) => !kind.lineKey || h[kind.lineKey] === (line as Partial<Row>)[kind.lineKey];
  const again = c.expected.filter((line) => {
    const hold = holds.find((h) => sameLine(h, line));
    return !hold || effectOf(hold.status, 'CONFIRMED') === 'take-again';
  });
  if (!again.length) return confirmed ? 'applied' : 'stale';
  const lost = await c.takeAgain(em, again);
  if (lost !== null) return { lost };
  const now = new Date();
  await writeHolds(
    em,
    kind,
    again.map((line) => ({ ...line, status: 'CONFIRMED', expiresAt: now, createdAt: now }) as Row),
  );
  return 'applied';
}
