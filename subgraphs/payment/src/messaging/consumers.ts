// The events payment reacts to, each applied once through the inbox; Stripe calls happen first,
// outside the transaction, with idempotency keys.
import { consumeOnce, type InboxDeps } from '../../../../lib/platform/messaging/inbox.js';
import type { PaymentDeps } from '../use-cases/deps.js';
import { createSession, recordSession, type Prepared } from '../use-cases/open-checkout.js';
import { recordCancellation, settleAtStripe, type Settled } from '../use-cases/settle-cancellation.js';

export async function startConsumers(inbox: InboxDeps, deps: PaymentDeps): Promise<void> {
  await consumeOnce(
    inbox,
    'order.created',
    (tx, event, prepared: Prepared) => recordSession(tx, { order: event.data, traceparent: event.traceparent, prepared }),
    (event) => createSession(deps, event.data),
  );
  await consumeOnce(
    inbox,
    'order.cancelled',
    (tx, event, settled: Settled) => recordCancellation(tx, { orderId: event.data.orderId, settled }),
    (event) => settleAtStripe(deps, event.data),
  );
}
