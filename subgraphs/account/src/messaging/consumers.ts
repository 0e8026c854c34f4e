// The events account reacts to, each applied once through the inbox. Steps get the config too:
// credit they give back or take is announced in the store currency.
import { consumeOnce, type InboxDeps } from '../../../../lib/platform/messaging/inbox.js';
import { confirmBenefits } from '../use-cases/confirm-benefits.js';
import type { AccountDeps } from '../use-cases/deps.js';
import { finaliseBenefits } from '../use-cases/finalise-benefits.js';
import { recordAdminAction } from '../use-cases/record-admin-action.js';
import { releaseCancelledBenefits } from '../use-cases/release-benefits.js';

export async function startConsumers(inbox: InboxDeps, { config }: Pick<AccountDeps, 'config'>): Promise<void> {
  // An order that asked for no coupon and no credit holds nothing here: no transaction for it.
  await consumeOnce(inbox, 'order.created', (tx, event) => confirmBenefits({ ...tx, config }, event.data), undefined, {
    applies: (event) => event.data.benefitsHeld !== false,
  });
  await consumeOnce(inbox, 'order.paid', (tx, event) => finaliseBenefits({ ...tx, config }, event.data));
  await consumeOnce(inbox, 'order.cancelled', (tx, event) => releaseCancelledBenefits({ ...tx, config }, event.data));
  await consumeOnce(inbox, 'admin.action', (tx, event) => recordAdminAction(tx, event));
}
