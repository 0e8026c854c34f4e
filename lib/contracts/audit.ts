// The audit trail's one contract: every admin mutation enqueues adminAction(...) in the transaction
// of its change, so the log holds exactly the changes that committed.
import { randomUUID } from 'node:crypto';
import { newEvent, type NewEvent } from './events.js';

/**
 * @param action the mutation's name, e.g. `refundOrder`
 * @param target what it changed (an id or code), when there is one
 * @param summary a short human-readable line, e.g. `refunded 500 USD`
 */
export function adminAction(actorId: string, action: string, target: string | null, summary: string | null): NewEvent<'admin.action'> {
  return newEvent('admin.action', randomUUID(), { actorId, action, target, summary, at: new Date().toISOString() });
}
