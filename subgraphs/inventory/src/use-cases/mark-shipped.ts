// An admin ships a paid order by hand (FULFILMENT_MODE=manual, or ahead of the worker): the same
// shipment row and fulfilment.shipped as the worker, and the audit entry, in one transaction.
import { adminAction } from '../../../../lib/contracts/audit.js';
import { badInput, notFound, userError } from '../../../../lib/contracts/errors.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { manualShipmentProblem } from '../domain/fulfilment.js';
import { ShipmentEntity, StockHoldEntity, type EntityRef } from '../persistence/entities.js';
import type { InventoryDeps } from './deps.js';
import { shipIn } from './ship-orders.js';

export interface MarkShippedInput {
  actorId: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

export async function markShipped({ transact }: Pick<InventoryDeps, 'transact'>, input: MarkShippedInput): Promise<EntityRef> {
  const problem = manualShipmentProblem(input);
  if (problem) throw badInput(problem);
  const carrier = input.carrier.trim();
  const trackingNumber = input.trackingNumber.trim();
  try {
    return await shipTo(transact, { ...input, carrier, trackingNumber });
  } catch (err) {
    // Tracking numbers are unique (one parcel, one order): reusing one is a conflict, not a crash.
    if (isDuplicateKey(err)) throw userError('CONFLICT', `Tracking number ${trackingNumber} is already on another shipment`);
    throw err;
  }
}

function shipTo(transact: InventoryDeps['transact'], { actorId, orderId, carrier, trackingNumber }: MarkShippedInput): Promise<EntityRef> {
  return transact(async (tx) => {
    if (await shipIn(tx, orderId, { carrier, trackingNumber })) {
      await tx.enqueue(adminAction(actorId, 'markShipped', orderId, `${carrier} ${trackingNumber}`));
      return { id: orderId };
    }
    // Nothing shipped: already shipped, not paid (yet), or no order inventory ever held stock for.
    // A shipment is queued by order.paid, and every order held stock at its try step.
    if (await tx.em.existsBy(ShipmentEntity, { orderId })) throw userError('CONFLICT', 'This order has already shipped');
    if (await tx.em.existsBy(StockHoldEntity, { orderId })) throw userError('CONFLICT', 'Only a paid order that has not shipped can be marked shipped');
    throw notFound('Order');
  });
}
