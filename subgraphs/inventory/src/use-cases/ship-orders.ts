// The fulfilment worker: ships paid orders once their shipping delay has passed and publishes
// fulfilment.shipped, each shipment's row and event committed together (a run's in one
// transaction). An order with an address goes with the carrier and gets a tracking number; one
// with nothing to ship is simply done.
import { newEvent } from '../../../../lib/contracts/events.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { selectRows } from '../../../../lib/platform/db/raw-rows.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { withSpan } from '../../../../lib/platform/observability/telemetry.js';
import { CARRIER, trackingNumberFor } from '../domain/fulfilment.js';
import { ShipmentEntity } from '../persistence/entities.js';
import type { InventoryDeps } from './deps.js';

export async function shipDueOrders({ db, transact }: Pick<InventoryDeps, 'db' | 'transact'>, { now }: { now: Date }): Promise<number> {
  const due = await selectRows(db.manager, ShipmentEntity, 'shipped_at IS NULL AND ship_at <= ?', [sqlTime(now)], { orderBy: 'ship_at', limit: 200 });
  if (!due.length) return 0;
  // One transaction for the whole run: each shipment still moves only if nobody shipped it first,
  // and its event goes out with it; a run that fails is retried whole (every step is conditional).
  return transact(async (tx) => {
    let shipped = 0;
    for (const s of due) {
      const done = await withSpan('fulfilment ship', { service: 'inventory', parent: s.traceparent, attributes: { 'checkout.order_id': s.orderId } }, () =>
        // false: another worker (or an admin's markShipped) shipped it first.
        shipIn(tx, s.orderId, s.address ? { carrier: CARRIER, trackingNumber: trackingNumberFor(s.orderId) } : {}),
      );
      if (done) shipped++;
    }
    return shipped;
  });
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
