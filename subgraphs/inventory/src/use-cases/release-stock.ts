// Gives held units back, exactly once per hold row: a conditional status change decides who
// releases. Used by the try step's undo, order.cancelled and the sweeper.
import type { EntityManager } from 'typeorm';
import { sqlTime, type Database } from '../../../../lib/platform/db/database.js';
import { ProductEntity, StockHoldEntity, type StockHoldStatus } from '../persistence/entities.js';

export async function releaseStockIn(em: EntityManager, orderId: string, to: Extract<StockHoldStatus, 'RELEASED' | 'EXPIRED'>): Promise<number> {
  // The sweeper only expires holds nobody confirmed; a cancellation releases confirmed ones too.
  const from: StockHoldStatus[] = to === 'EXPIRED' ? ['HELD'] : ['HELD', 'CONFIRMED'];
  const holds = await em.findBy(StockHoldEntity, { orderId });
  let released = 0;
  if (to === 'RELEASED') {
    // Expired holds gave their units back already; marking them released tells a late
    // order.created that the order is cancelled, so it does not take the stock again.
    const marked = await em.update(StockHoldEntity, { orderId, status: 'EXPIRED' }, { status: 'RELEASED' });
    released += marked.affected ?? 0;
  }
  for (const h of holds.sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    if (!from.includes(h.status)) continue;
    const changed = await em
      .createQueryBuilder()
      .update(StockHoldEntity)
      .set({ status: to })
      .where('order_id = :orderId AND product_id = :productId AND status IN (:...from)', { orderId, productId: h.productId, from })
      .execute();
    if (!changed.affected) continue;
    await returnHeld(em, h.productId, h.quantity);
    released++;
  }
  return released;
}

export function releaseStock(db: Database, orderId: string): Promise<number> {
  return db.transaction((em) => releaseStockIn(em, orderId, 'RELEASED'));
}

/** Releases holds never confirmed within HOLD_TTL (a crash between the try step and the confirm). */
export async function sweepStockHolds(db: Database, now = new Date()): Promise<number> {
  const stale = await db.manager
    .createQueryBuilder(StockHoldEntity, 'h')
    .select('DISTINCT h.order_id', 'orderId')
    .where('h.status = :s AND h.expiresAt < :now', { s: 'HELD', now: sqlTime(now) })
    .limit(500)
    .getRawMany<{ orderId: string }>();
  let released = 0;
  for (const { orderId } of stale) released += await db.transaction((em) => releaseStockIn(em, orderId, 'EXPIRED'));
  return released;
}

/** Gives held units back to a product's availability. */
export async function returnHeld(em: EntityManager, productId: string, quantity: number): Promise<void> {
  await em
    .createQueryBuilder()
    .update(ProductEntity)
    .set({ held: () => `held - ${quantity}` })
    .where('id = :id', { id: productId })
    .execute();
}
