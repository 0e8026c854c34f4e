// The events inventory reacts to, each applied once through the inbox.
import { consumeOnce, type InboxDeps } from '../../../../lib/platform/messaging/inbox.js';
import { confirmStock } from '../use-cases/confirm-stock.js';
import type { InventoryDeps } from '../use-cases/deps.js';
import { releaseCancelledStock } from '../use-cases/release-stock.js';
import { sellStock } from '../use-cases/sell-stock.js';

export async function startConsumers(inbox: InboxDeps, deps: InventoryDeps): Promise<void> {
  await consumeOnce(inbox, 'order.created', (tx, event) => confirmStock(tx, event.data));
  await consumeOnce(inbox, 'order.paid', (tx, event) => sellStock({ ...deps, em: tx.em }, event.data));
  await consumeOnce(inbox, 'order.cancelled', (tx, event) => releaseCancelledStock(tx, event.data));
}
