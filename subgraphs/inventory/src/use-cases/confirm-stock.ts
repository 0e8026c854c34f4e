// order.created: the order was written, so its holds are confirmed. Holds the sweeper already
// expired are taken again; when stock has gone meanwhile, inventory.hold_lost tells the order
// subgraph to cancel the order.
import { confirmHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { newEvent, type EventPayloads } from '../../../../lib/contracts/events.js';
import { normaliseLines } from '../../../../lib/contracts/order-lines.js';
import { returnHeld, stockHolds, takeStock } from '../persistence/stock-holds.js';

export async function confirmStock(tx: Transaction, { orderId, items }: EventPayloads['order.created']): Promise<Outcome> {
  const confirmed = await confirmHolds(tx.em, stockHolds, {
    orderId,
    expected: normaliseLines(items).map((l) => ({ orderId, productId: l.productId, quantity: l.quantity })),
    async takeAgain(em, lines) {
      const short = await takeStock(em, lines);
      if (!short.length) return null;
      // Give back what this re-take did get, so nothing stays held for an order that will be cancelled.
      for (const l of lines.filter((x) => !short.includes(x.productId))) await returnHeld(em, l.productId, l.quantity);
      return short;
    },
  });
  if (typeof confirmed === 'string') return confirmed;
  await tx.enqueue(
    newEvent('inventory.hold_lost', orderId, { orderId, productIds: confirmed.lost, reason: 'stock held for this order expired and is no longer available' }),
  );
  return 'applied';
}
