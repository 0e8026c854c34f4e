// order.paid: held units become sold stock (stockOnHand goes down) and the order is handed to
// the fulfilment worker, with the customer and the address it ships to.
import type { EventPayloads } from '../../../../lib/contracts/events.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import { settleHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { currentTraceparent } from '../../../../lib/platform/observability/telemetry.js';
import { ShipmentEntity } from '../persistence/entities.js';
import { stockHolds } from '../persistence/stock-holds.js';
import type { InventoryDeps } from './deps.js';

/** Runs in the inbox's transaction, so it takes that transaction's `em` beside the subgraph's deps. */
export async function sellStock(
  { em, log, config }: Pick<Transaction, 'em'> & Pick<InventoryDeps, 'log' | 'config'>,
  { orderId, customerId, shippingAddress }: Pick<EventPayloads['order.paid'], 'orderId' | 'customerId' | 'shippingAddress'>,
): Promise<Outcome> {
  // A hold that expired before the payment (order.created was late by more than HOLD_TTL) is sold
  // from what is available now, never below it. Stock that is gone meanwhile needs a person: a paid
  // order cannot be cancelled by the state machine, so an operator restocks or refunds.
  const { missed } = await settleHolds(em, stockHolds, orderId);
  for (const { productId, quantity } of missed) {
    log.error({ orderId, productId, quantity }, 'paid order whose expired hold could not be re-taken: restock or refund it');
  }
  // Queued, and ignored when the order has its shipment already: the order.paid consumer is the
  // only writer of this row, and the inbox already turned a redelivery away.
  await queueWrite(
    em,
    em
      .createQueryBuilder()
      .insert()
      .into(ShipmentEntity)
      .values({
        orderId,
        customerId,
        // Null when nothing in the order ships; missing altogether on an order.paid from before addresses.
        address: shippingAddress ?? null,
        shipAt: new Date(Date.now() + config.FULFILMENT_DELAY_MS),
        shippedAt: null,
        carrier: null,
        trackingNumber: null,
        traceparent: currentTraceparent(),
      })
      .orIgnore(),
  );
  return 'applied';
}
