// The events account reacts to, each applied once through the inbox.
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';
import { confirmBenefits } from '../use-cases/confirm-benefits.js';
import { finaliseBenefits } from '../use-cases/finalise-benefits.js';
import { releaseCancelledBenefits } from '../use-cases/release-benefits.js';

export async function startConsumers(rt: Runtime): Promise<void> {
  await consumeOnce(rt.inbox, 'order.created', (tx, event) => confirmBenefits(tx, event.data));
  await consumeOnce(rt.inbox, 'order.paid', (tx, event) => finaliseBenefits(tx, event.data));
  await consumeOnce(rt.inbox, 'order.cancelled', (tx, event) => releaseCancelledBenefits(tx, event.data));
}
