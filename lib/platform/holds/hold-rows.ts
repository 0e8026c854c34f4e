// The statements on a hold table. Each status change is a conditional UPDATE on the status the
// caller saw, so under a race exactly one caller moves a row and does what the move implies
// (mysql2 counts matched rows, which for a change of status is the changed rows).
import { In, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { sqlTime, type Database } from '../db/database.js';
import { changedByEach, columnOf, placeholders, selectRows } from '../db/raw-rows.js';
import type { HoldKind, HoldRow } from './hold-kind.js';
import { GIVEN_BACK_STATUSES, sourcesOf, type HoldStatus } from './lifecycle.js';

/** Sweeps take this many orders per run, so one run stays short. */
const SWEEP_BATCH = 500;

/** Rows in a fixed order (by line), so concurrent changes lock them in the same order. */
const inLineOrder = <Row extends HoldRow>(kind: HoldKind<Row>, rows: Row[]): Row[] =>
  kind.lineKey ? rows.sort((a, b) => (String(a[kind.lineKey!]) < String(b[kind.lineKey!]) ? -1 : 1)) : rows;

const whereOrder = <Row extends HoldRow>(orderId: string, more: object = {}) => ({ orderId, ...more }) as FindOptionsWhere<Row>;

const statusOf = <Row extends HoldRow>(to: HoldStatus) => ({ status: to }) as unknown as QueryDeepPartialEntity<Row>;

export async function holdsOf<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string, statuses?: readonly HoldStatus[]): Promise<Row[]> {
  const byOrder = `${columnOf(em, kind.entity, 'orderId')} = ?`;
  const where = statuses ? `${byOrder} AND ${columnOf(em, kind.entity, 'status')} IN (${placeholders(statuses.length)})` : byOrder;
  return inLineOrder(kind, await selectRows(em, kind.entity, where, [orderId, ...(statuses ?? [])]));
}

/** The order's rows read under a write lock (MySQL): sees the latest committed status, not a snapshot. */
export async function lockedHoldsOf<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string): Promise<Row[]> {
  return inLineOrder(kind, await selectRows(em, kind.entity, `${columnOf(em, kind.entity, 'orderId')} = ?`, [orderId], { forUpdate: true }));
}

/** Moves rows from the status each was seen in, in one round trip on MySQL; for each, true when this call moved it. */
export async function moveHolds<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, holds: Row[], to: HoldStatus): Promise<boolean[]> {
  const meta = em.connection.getMetadata(kind.entity);
  const [status, order] = [columnOf(em, kind.entity, 'status'), columnOf(em, kind.entity, 'orderId')];
  const line = kind.lineKey ? ` AND \`${columnOf(em, kind.entity, kind.lineKey)}\` = ?` : '';
  const sql = `UPDATE \`${meta.tableName}\` SET \`${status}\` = ? WHERE \`${order}\` = ?${line} AND \`${status}\` = ?`;
  const writes = holds.map((h) => ({ sql, values: [to, h.orderId, ...(kind.lineKey ? [h[kind.lineKey]] : []), h.status] }));
  return (await changedByEach(em, writes)).map((n) => n > 0);
}

/** Moves every row of an order in status `from`; returns how many moved. */
export async function moveAllHolds<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, orderId: string, from: HoldStatus, to: HoldStatus) {
  const moved = await em.update(kind.entity, whereOrder<Row>(orderId, { status: from }), statusOf<Row>(to));
  return moved.affected ?? 0;
}

/** Writes rows afresh (inserted, or overwriting what the order had under the same key). */
export async function writeHolds<Row extends HoldRow>(em: EntityManager, kind: HoldKind<Row>, rows: Row[]): Promise<void> {
  const key = kind.lineKey ? ['orderId', kind.lineKey] : ['orderId'];
  await em.upsert(kind.entity, rows as QueryDeepPartialEntity<Row>[], key);
}

/** Deletes the order's given-back rows; how many went (none: another request holds it live now). */
export async function clearGivenBack<Row extends HoldRow>(db: Database, kind: HoldKind<Row>, orderId: string): Promise<number> {
  const cleared = await db.transaction((em) => em.delete(kind.entity, whereOrder<Row>(orderId, { status: In(GIVEN_BACK_STATUSES) })));
  return cleared.affected ?? 0;
}

/** Orders with a row past its expiry that may still expire (HELD): placed, then never confirmed. */
export async function overdueOrders<Row extends HoldRow>(db: Database, kind: HoldKind<Row>, now: Date): Promise<string[]> {
  const rows = await db.manager
    .createQueryBuilder(kind.entity, 'h')
    .select('DISTINCT h.orderId', 'orderId')
    .where('h.status IN (:...expiring) AND h.expiresAt < :now', { expiring: sourcesOf('EXPIRED'), now: sqlTime(now) })
    .limit(SWEEP_BATCH)
    .getRawMany<{ orderId: string }>();
  return rows.map((r) => r.orderId);
}
