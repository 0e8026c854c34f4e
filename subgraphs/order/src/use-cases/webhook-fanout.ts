// A public event (domain/webhooks.ts) becomes one delivery row per endpoint subscribed to it, in
// the consumer's transaction: the event is acked only once its deliveries are committed, so none
// is lost if the process dies, and a redelivered event writes nothing twice (inbox, unique key).
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { publicEventOf } from '../domain/webhooks.js';
import { WebhookDeliveryEntity, WebhookEndpointEntity, type WebhookDeliveryRow } from '../persistence/webhook-entities.js';

export async function fanOutWebhooks({ em }: Transaction, event: EventEnvelope): Promise<Outcome> {
  const published = publicEventOf(event);
  // Not public (a status change other than FINISHED): nothing to deliver, nothing to retry.
  if (!published) return 'applied';
  const endpoints = (await em.findBy(WebhookEndpointEntity, { deletedAt: IsNull() })).filter((e) => e.events.includes(published.type));
  if (!endpoints.length) return 'applied';
  const body = JSON.stringify(published);
  const now = new Date();
  const rows: WebhookDeliveryRow[] = endpoints.map((endpoint) => ({
    id: randomUUID(),
    endpointId: endpoint.id,
    eventId: published.id,
    eventType: published.type,
    body,
    status: 'PENDING',
    attempts: 0,
    nextAttemptAt: now,
    lastAttemptAt: null,
    responseStatus: null,
    retryFrom: now,
    createdAt: now,
  }));
  await em.insert(WebhookDeliveryEntity, rows);
  return 'applied';
}
