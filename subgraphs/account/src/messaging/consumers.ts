// The events account reacts to, each applied once through the inbox.
import { consumeOnce } from '../../../../lib/platform/messaging/inbox.js';
import type { Runtime } from '../../../../lib/platform/runtime/service.js';
import { confirmBenefits } from '../use-cases/confirm-benefits.js';
import { finaliseBenefits } from '../use-cases/finalise-benefits.js';
import { releaseBenefitsIn } from '../use-cases/release-benefits.js';

export async function startConsumers(rt: Runtime): Promise<void> {
  await consumeOnce(rt.inbox, 'order.created', (em, event) => confirmBenefits(em, rt.db, event, rt.config.HOLD_TTL));
  await consumeOnce(rt.inbox, 'order.paid', (em, event) => finaliseBenefits(em, event));
  await consumeOnce(rt.inbox, 'order.cancelled', async (em, event) => ((await releaseBenefitsIn(em, event.data.orderId, 'RELEASED')) ? 'applied' : 'stale'));
}
