// The events inventory reacts to, each applied once through the inbox.
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';
import { confirmStock } from '../use-cases/confirm-stock.js';
import { releaseCancelledStock } from '../use-cases/release-stock.js';
import { sellStock } from '../use-cases/sell-stock.js';

export async function startConsumers(rt: Runtime): Promise<void> {
  await consumeOnce(rt.inbox, 'order.created', (tx, event) => confirmStock(tx, event.data));
  await consumeOnce(rt.inbox, 'order.paid', (tx, event) => sellStock({ em: tx.em, log: rt.log, fulfilmentDelayMs: rt.config.FULFILMENT_DELAY_MS }, event.data));
  await consumeOnce(rt.inbox, 'order.cancelled', (tx, event) => releaseCancelledStock(tx, event.data));
}
