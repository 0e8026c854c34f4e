// admin.action: one audit entry per admin mutation that committed anywhere, with the admin's email
// as account knows it now (the log must still name them if the account changes later).
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { AuditEntryEntity, CustomerEntity } from '../persistence/entities.js';

/** Summaries and targets are bounded by their columns; an over-long one is cut, not refused (it already happened). */
const cut = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));

export async function recordAdminAction({ em }: Pick<Transaction, 'em'>, { id, data }: Pick<EventEnvelope<'admin.action'>, 'id' | 'data'>): Promise<Outcome> {
  const actor = await em.findOne(CustomerEntity, { where: { id: data.actorId }, select: { email: true } });
  await em.insert(AuditEntryEntity, {
    id,
    actorId: data.actorId,
    // An actor account knows nothing of (a service acting on its own) is named by its id.
    actor: actor?.email ?? data.actorId,
    action: cut(data.action, 64)!,
    target: cut(data.target, 200),
    summary: cut(data.summary, 500),
    at: new Date(data.at),
  });
  return 'applied';
}
