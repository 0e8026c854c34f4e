// order.created: the order was written, so its holds are confirmed. Holds the sweeper already
// expired are taken again; when stock has gone meanwhile, inventory.hold_lost tells the order
// subgraph to cancel the order.
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../../../../lib/broker/inbox.js';
import { newEvent, type EventEnvelope } from '../../../../lib/broker/events.js';
import { enqueue } from '../../../../lib/broker/outbox.js';
import { normaliseLines } from '../../../../lib/domain/order-lines.js';
import { StockHoldEntity } from '../persistence/entities.js';
import { takeStock } from './hold-stock.js';

export async function confirmStock(em: EntityManager, event: EventEnvelope<'order.created'>): Promise<Outcome> {
  const { orderId } = event.data;
  const holds = await em.findBy(StockHoldEntity, { orderId });
  const confirmed = await em.update(StockHoldEntity, { orderId, status: 'HELD' }, { status: 'CONFIRMED' });
  const expired = holds.filter((h) => h.status === 'EXPIRED');
  const missing = normaliseLines(event.data.items).filter((l) => !holds.some((h) => h.productId === l.productId));
  if (!expired.length && !missing.length) return confirmed.affected ? 'applied' : 'stale';

  const retake = normaliseLines([...expired, ...missing].map((h) => ({ productId: h.productId, quantity: h.quantity })));
  const short = await em
    .transaction(async (inner) => {
      const s = await takeStock(inner, retake);
      if (s.length) throw new ShortError(s); // undo the partial re-take; the savepoint keeps the inbox row
      return s;
    })
    .catch((err) => (err instanceof ShortError ? err.productIds : Promise.reject(err)));
  if (short.length) {
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

class ShortError extends Error {
  constructor(readonly productIds: string[]) {
    super('short');
  }
}
