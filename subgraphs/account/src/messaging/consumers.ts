// The events account reacts to, each applied once through the inbox.
import { consumeOnce, type InboxDeps } from '../../../../lib/platform/messaging/inbox.js';
import { confirmBenefits } from '../use-cases/confirm-benefits.js';
import { finaliseBenefits } from '../use-cases/finalise-benefits.js';
import { releaseCancelledBenefits } from '../use-cases/release-benefits.js';

export async function startConsumers(inbox: InboxDeps): Promise<void> {
  await consumeOnce(inbox, 'order.created', (tx, event) => confirmBenefits(tx, event.data));
  await consumeOnce(inbox, 'order.paid', (tx, event) => finaliseBenefits(tx, event.data));
  await consumeOnce(inbox, 'order.cancelled', (tx, event) => releaseCancelledBenefits(tx, event.data));
}
