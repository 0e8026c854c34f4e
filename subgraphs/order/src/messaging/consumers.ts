// The events the order subgraph reacts to. Each moves the order through the state machine once;
// the event's data is the use case's input.
import { consumeOnce, type InboxDeps } from '../../../../lib/platform/messaging/inbox.js';
import { cancelFromEvent, markFinished, markPaid, markWaitingForPayment } from '../use-cases/apply-payment-events.js';

export async function startConsumers(inbox: InboxDeps): Promise<void> {
  await consumeOnce(inbox, 'payment.checkout_created', (tx, e) => markWaitingForPayment(tx, e.data));
  await consumeOnce(inbox, 'payment.succeeded', (tx, e) => markPaid(tx, e.data));
  await consumeOnce(inbox, 'payment.expired', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'payment.failed', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'inventory.hold_lost', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'account.hold_lost', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'fulfilment.shipped', (tx, e) => markFinished(tx, e.data));
}
