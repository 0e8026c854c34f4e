// The try step's inventory half: hold every line of an order, all or nothing. Each product is
// decremented with a conditional UPDATE (never read-modify-write), rows in a fixed order, inside
// one transaction retried on deadlock. Idempotent per order id.
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { isDuplicateKey, type Database } from '../../../../lib/platform/db/database.js';
import { badInput, userError } from '../../../../lib/platform/errors.js';
import { validateLines, type HoldLine } from '../../../../lib/contracts/order-lines.js';
import { ProductEntity, StockHoldEntity, type StockHoldStatus } from '../persistence/entities.js';

export interface HeldLine {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  currency: string;
}

class AlreadyHeld extends Error {}

export async function holdStock(db: Database, orderId: string, lines: HoldLine[], holdTtlMs: number): Promise<HeldLine[]> {
  const wanted = validateLines(lines);
  try {
    return await takeFresh(db, orderId, wanted, holdTtlMs);
  } catch (err) {
    if (!(err instanceof AlreadyHeld)) throw err;
  }
  // A retried or racing call for the same order. Live holds are its answer; holds a failed
  // attempt gave back (released or expired) are cleared so that this attempt can hold afresh.
  const live = await existingHold(db, orderId);
  if (live.length) return live;
  const cleared = await db.transaction((em) =>
    em
      .createQueryBuilder()
      .delete()
      .from(StockHoldEntity)
      .where('order_id = :orderId AND status IN (:...done)', { orderId, done: ['RELEASED', 'EXPIRED'] })
      .execute(),
  );
  if (!cleared.affected) throw userError('CONFLICT', 'This order is being placed by another request; try again');
  return takeFresh(db, orderId, wanted, holdTtlMs);
}

async function takeFresh(db: Database, orderId: string, wanted: HoldLine[], holdTtlMs: number): Promise<HeldLine[]> {
  return db.transaction(async (em) => {
    const products = await em.findBy(ProductEntity, { id: In(wanted.map((l) => l.productId)) });
    const unknown = wanted.filter((l) => !products.some((p) => p.id === l.productId)).map((l) => l.productId);
    if (unknown.length) throw badInput(`unknown product: ${unknown.join(', ')}`, { productIds: unknown });
    const now = new Date();
    try {
      await em.insert(
        StockHoldEntity,
        wanted.map((l) => ({
          orderId,
          productId: l.productId,
          quantity: l.quantity,
          status: 'HELD' as const,
          expiresAt: new Date(now.getTime() + holdTtlMs),
          createdAt: now,
        })),
      );
    } catch (err) {
      if (isDuplicateKey(err)) throw new AlreadyHeld();
      throw err;
    }
    const short = await takeStock(em, wanted);
    if (short.length) throw userError('OUT_OF_STOCK', `Not enough stock for: ${short.join(', ')}`, { productIds: short });
    return wanted.map((l) => {
      const p = products.find((x) => x.id === l.productId)!;
      return { productId: p.id, name: p.name, quantity: l.quantity, unitPrice: p.price, currency: p.currency };
    });
  });
}

/** Adds each line to `held` where enough is available; returns the products that were short. */
export async function takeStock(em: EntityManager, lines: HoldLine[]): Promise<string[]> {
  const short: string[] = [];
  for (const l of lines) {
    const r = await em
      .createQueryBuilder()
      .update(ProductEntity)
      .set({ held: () => `held + ${l.quantity}` })
      .where('id = :id AND stock_on_hand - held >= :q', { id: l.productId, q: l.quantity })
      .execute();
    if (!r.affected) short.push(l.productId);
  }
  return short;
}

async function existingHold(db: Database, orderId: string): Promise<HeldLine[]> {
  const holds = await db.manager.findBy(StockHoldEntity, { orderId, status: In<StockHoldStatus>(['HELD', 'CONFIRMED', 'SOLD']) });
  if (!holds.length) return [];
  const products = await db.manager.findBy(ProductEntity, { id: In(holds.map((h) => h.productId)) });
  return holds
    .map((h) => {
      const p = products.find((x) => x.id === h.productId)!;
      return { productId: p.id, name: p.name, quantity: h.quantity, unitPrice: p.price, currency: p.currency };
    })
    .sort((a, b) => (a.productId < b.productId ? -1 : 1));
}
