// The events the order subgraph reacts to. Each moves the order through the state machine once.
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/service.js';
import { cancelFromEvent, markFinished, markPaid, markWaitingForPayment } from '../use-cases/apply-payment-events.js';

export async function startConsumers(rt: Runtime): Promise<void> {
  const d = rt.db.dialect;
  await consumeOnce(rt.inbox, 'payment.checkout_created', (em, e) => markWaitingForPayment(em, d, e));
  await consumeOnce(rt.inbox, 'payment.succeeded', (em, e) => markPaid(em, d, e));
  await consumeOnce(rt.inbox, 'payment.expired', (em, e) => cancelFromEvent(em, d, e.data.orderId, e.data.reason));
  await consumeOnce(rt.inbox, 'payment.failed', (em, e) => cancelFromEvent(em, d, e.data.orderId, e.data.reason));
  await consumeOnce(rt.inbox, 'inventory.hold_lost', (em, e) => cancelFromEvent(em, d, e.data.orderId, e.data.reason));
  await consumeOnce(rt.inbox, 'account.hold_lost', (em, e) => cancelFromEvent(em, d, e.data.orderId, e.data.reason));
  await consumeOnce(rt.inbox, 'fulfilment.shipped', (em, e) => markFinished(em, d, e));
}
