// The delivery queries: due work, the claim of one attempt, and the log's keyset pages.
import type { EntityManager } from 'typeorm';
import type { TimeCursor } from '../../../../lib/contracts/pagination.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { WebhookDeliveryEntity, type WebhookDeliveryRow } from './webhook-entities.js';

/** Pending deliveries whose attempt is due, oldest due first. */
export function dueDeliveries(em: EntityManager, now: Date, limit: number): Promise<WebhookDeliveryRow[]> {
  return em
    .createQueryBuilder(WebhookDeliveryEntity, 'd')
    .where("d.status = 'PENDING' AND d.nextAttemptAt <= :now", { now: sqlTime(now) })
    .orderBy('d.nextAttemptAt', 'ASC')
    .take(limit)
    .getMany();
}

/**
 * Takes the next attempt of a delivery as seen: one conditional UPDATE on its attempt count, so of
 * two instances that saw it due only one sends it. The attempt's due time moves past `leaseUntil`
 * (beyond the send timeout): if this process dies mid-send, another retries it then.
 */
export async function claimAttempt(em: EntityManager, seen: WebhookDeliveryRow, now: Date, leaseUntil: Date): Promise<boolean> {
  const changed = await em
    .createQueryBuilder()
    .update(WebhookDeliveryEntity)
    .set({ attempts: seen.attempts + 1, lastAttemptAt: now, nextAttemptAt: leaseUntil })
    .where("id = :id AND status = 'PENDING' AND attempts = :attempts", { id: seen.id, attempts: seen.attempts })
    .execute();
  return !!changed.affected;
}

/** An endpoint's deliveries, newest first, after the cursor when given. */
export function deliveriesAfter(em: EntityManager, endpointId: string, after: TimeCursor | null, limit: number): Promise<WebhookDeliveryRow[]> {
  const q = em.createQueryBuilder(WebhookDeliveryEntity, 'd').where('d.endpointId = :endpointId', { endpointId });
  if (after) q.andWhere('(d.createdAt < :at OR (d.createdAt = :at AND d.id < :id))', { at: sqlTime(after.at), id: after.id });
  return q.orderBy('d.createdAt', 'DESC').addOrderBy('d.id', 'DESC').take(limit).getMany();
}
