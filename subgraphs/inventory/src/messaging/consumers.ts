// The events inventory reacts to, each applied once through the inbox.
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/service.js';
import { confirmStock } from '../use-cases/confirm-stock.js';
import { releaseStockIn } from '../use-cases/release-stock.js';
import { sellStock } from '../use-cases/sell-stock.js';

export async function startConsumers(rt: Runtime): Promise<void> {
  await consumeOnce(rt.inbox, 'order.created', (em, event) => confirmStock(em, rt.db.dialect, event));
  await consumeOnce(rt.inbox, 'order.paid', (em, event) => sellStock(em, rt.log, event, rt.config.FULFILMENT_DELAY_MS));
  await consumeOnce(rt.inbox, 'order.cancelled', async (em, event) => ((await releaseStockIn(em, event.data.orderId, 'RELEASED')) > 0 ? 'applied' : 'stale'));
}
