// The events the order subgraph reacts to. Payment and fulfilment events move an order through
// the state machine once; catalog and account events keep the read models carts are priced from.
import { consumeOnce, type InboxDeps } from '../../../../lib/platform/messaging/inbox.js';
import { cancelFromEvent, markFinished, markPaid, markPaymentProcessing, markWaitingForPayment } from '../use-cases/apply-payment-events.js';
import { applyCouponChanged, applyCreditChanged, applyProductChanged } from '../use-cases/read-models.js';
import { fanOutWebhooks } from '../use-cases/webhook-fanout.js';

export async function startConsumers(inbox: InboxDeps): Promise<void> {
  await consumeOnce(inbox, 'payment.checkout_created', (tx, e) => markWaitingForPayment(tx, e.data));
  await consumeOnce(inbox, 'payment.processing', (tx, e) => markPaymentProcessing(tx, e.data));
  await consumeOnce(inbox, 'payment.succeeded', (tx, e) => markPaid(tx, e.data));
  await consumeOnce(inbox, 'payment.expired', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'payment.failed', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'inventory.hold_lost', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'account.hold_lost', (tx, e) => cancelFromEvent(tx, e.data));
  await consumeOnce(inbox, 'fulfilment.shipped', (tx, e) => markFinished(tx, e.data));
  await consumeOnce(inbox, 'product.changed', applyProductChanged);
  await consumeOnce(inbox, 'coupon.changed', applyCouponChanged);
  await consumeOnce(inbox, 'customer.credit_changed', applyCreditChanged);
  // Outbound webhooks for payment's public event; our own get theirs as they are written (app.ts).
  await consumeOnce(inbox, 'payment.refunded', fanOutWebhooks);
}
