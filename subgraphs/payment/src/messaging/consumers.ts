// The events payment reacts to, each applied once through the inbox; Stripe calls happen first,
// outside the transaction, with idempotency keys.
import type Stripe from 'stripe';
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/service.js';
import { createSession, recordSession } from '../use-cases/open-checkout.js';
import { recordCancellation, settleAtStripe } from '../use-cases/settle-cancellation.js';

export async function startConsumers(rt: Runtime, stripe: Stripe): Promise<void> {
  await consumeOnce(rt.inbox, 'order.created', recordSession, (event) => createSession(rt.db, stripe, rt.config, event));
  await consumeOnce(rt.inbox, 'order.cancelled', recordCancellation, (event) => settleAtStripe(rt.db, stripe, rt.log, event));
}
