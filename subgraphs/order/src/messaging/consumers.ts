// The events the order subgraph reacts to. Each moves the order through the state machine once;
// the event's data is the use case's input.
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';
import { cancelFromEvent, markFinished, markPaid, markWaitingForPayment } from '../use-cases/apply-payment-events.js';

export async function startConsumers(rt: Runtime): Promise<void> {
  await consumeOnce(rt.inbox, 'payment.checkout_created', (tx, e) => markWaitingForPayment(tx, e.data));
  await consumeOnce(rt.inbox, 'payment.succeeded', (tx, e) => markPaid(tx, e.data));
  await consumeOnce(rt.inbox, 'payment.expired', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(rt.inbox, 'payment.failed', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(rt.inbox, 'inventory.hold_lost', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(rt.inbox, 'account.hold_lost', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(rt.inbox, 'fulfilment.shipped', (tx, e) => markFinished(tx, e.data));
}
