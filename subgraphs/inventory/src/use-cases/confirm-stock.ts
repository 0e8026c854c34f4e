// order.created: the order was written, so its holds are confirmed. Holds the sweeper already
// expired are taken again; when stock has gone meanwhile, inventory.hold_lost tells the order
// subgraph to cancel the order.
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import { newEvent, type EventEnvelope } from '../../../../lib/contracts/events.js';
import { enqueue } from '../../../../lib/platform/messaging/outbox.js';
import { withRowLock, type Dialect } from '../../../../lib/platform/db/database.js';
import { normaliseLines } from '../../../../lib/contracts/order-lines.js';
import { StockHoldEntity } from '../persistence/entities.js';
import { takeStock } from './hold-stock.js';
import { returnHeld } from './release-stock.js';

export async function confirmStock(em: EntityManager, dialect: Dialect, event: EventEnvelope<'order.created'>): Promise<Outcome> {
  const { orderId } = event.data;
  // Update first, then read under a lock: a plain read first would fix a MySQL snapshot in which
  // a hold the sweeper is expiring right now still looks HELD.
  await em.update(StockHoldEntity, { orderId, status: 'HELD' }, { status: 'CONFIRMED' });
  const holds = await withRowLock(em.createQueryBuilder(StockHoldEntity, 'h').where('h.orderId = :orderId', { orderId }), dialect).getMany();
  // Sold or released: the order was paid or cancelled before this event arrived.
  if (holds.some((h) => h.status === 'SOLD' || h.status === 'RELEASED')) return 'stale';
  const expired = holds.filter((h) => h.status === 'EXPIRED');
  const missing = normaliseLines(event.data.items).filter((l) => !holds.some((h) => h.productId === l.productId));
  if (!expired.length && !missing.length) return holds.length ? 'applied' : 'stale';

  const retake = normaliseLines([...expired, ...missing].map((h) => ({ productId: h.productId, quantity: h.quantity })));
  const short = await takeStock(em, retake);
  if (short.length) {
    // Give back what this re-take did get, so nothing stays held for an order that will be cancelled.
    for (const l of retake.filter((x) => !short.includes(x.productId))) await returnHeld(em, l.productId, l.quantity);
    await enqueue(
      em,
      newEvent('inventory.hold_lost', orderId, { orderId, productIds: short, reason: 'stock held for this order expired and is no longer available' }),
    );
    return 'applied';
  }
  const now = new Date();
  for (const l of retake) {
    await em.upsert(StockHoldEntity, { orderId, productId: l.productId, quantity: l.quantity, status: 'CONFIRMED', expiresAt: now, createdAt: now }, [
      'orderId',
      'productId',
    ]);
  }
  return 'applied';
}
