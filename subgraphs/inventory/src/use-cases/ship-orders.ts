// The fulfilment worker: ships paid orders once their shipping delay has passed and publishes
// fulfilment.shipped, each in one transaction with the outbox row. An order with an address goes
// with the carrier and gets a tracking number; one with nothing to ship is simply done.
import { newEvent } from '../../../../lib/contracts/events.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { withSpan } from '../../../../lib/platform/observability/telemetry.js';
import { CARRIER, trackingNumberFor } from '../domain/fulfilment.js';
import { ShipmentEntity } from '../persistence/entities.js';
import type { InventoryDeps } from './deps.js';

export async function shipDueOrders({ db, transact }: Pick<InventoryDeps, 'db' | 'transact'>, { now }: { now: Date }): Promise<number> {
  const due = await db.manager
    .createQueryBuilder(ShipmentEntity, 's')
    .where('s.shippedAt IS NULL AND s.shipAt <= :now', { now: sqlTime(now) })
    .orderBy('s.shipAt')
    .limit(200)
    .getMany();
  let shipped = 0;
  for (const s of due) {
    const done = await withSpan('fulfilment ship', { service: 'inventory', parent: s.traceparent, attributes: { 'checkout.order_id': s.orderId } }, () =>
      // false: another worker (or an admin's markShipped) shipped it first.
      transact((tx) => shipIn(tx, s.orderId, s.address ? { carrier: CARRIER, trackingNumber: trackingNumberFor(s.orderId) } : {})),
    );
    if (done) shipped++;
  }
  return shipped;
}

/**
 * Ships one order inside the caller's transaction, if nobody has yet: the shipment's row and
 * fulfilment.shipped (which moves the order to FINISHED) commit together. The one path both the
 * worker and markShipped take, so an order ships, and is announced, exactly once.
 */
export async function shipIn({ em, enqueue }: Transaction, orderId: string, label: { carrier?: string; trackingNumber?: string }): Promise<boolean> {
  const shippedAt = new Date();
  const changed = await em
    .createQueryBuilder()
    .update(ShipmentEntity)
    .set({ shippedAt, ...label })
    .where('order_id = :orderId AND shipped_at IS NULL', { orderId })
    .execute();
  if (!changed.affected) return false;
  await enqueue(newEvent('fulfilment.shipped', orderId, { orderId, shippedAt: shippedAt.toISOString() }));
  return true;
}
