// A public event (domain/webhooks.ts) becomes one delivery row per endpoint subscribed to it,
// committed with the event itself: the order subgraph's own events (order.paid, order.cancelled,
// order.finished) get their rows in the transaction that writes them (RuntimeOptions.
// withinTransaction), so none is lost if the process dies and no delivery, transaction or inbox
// row is spent consuming our own events; payment.refunded, from payment, in its consumer's
// transaction, where a redelivery writes nothing twice (inbox).
import { randomUUID } from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { publicEventOf } from '../domain/webhooks.js';
import { WebhookDeliveryEntity, WebhookEndpointEntity, type WebhookDeliveryRow } from '../persistence/webhook-entities.js';

/** Delivery rows for the public events among these, in the caller's transaction. */
export async function writeWebhookDeliveries(em: EntityManager, events: EventEnvelope[]): Promise<void> {
  const published = events.map(publicEventOf).filter((p) => p !== null);
  // None public (status changes other than FINISHED, cart and admin events): nothing to look up.
  if (!published.length) return;
  const endpoints = await em.findBy(WebhookEndpointEntity, { deletedAt: IsNull() });
  const now = new Date();
  const rows: WebhookDeliveryRow[] = published.flatMap((event) => {
    const body = JSON.stringify(event);
    return endpoints
      .filter((e) => e.events.includes(event.type))
      .map((endpoint) => ({
        id: randomUUID(),
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        body,
        status: 'PENDING' as const,
        attempts: 0,
        nextAttemptAt: now,
        lastAttemptAt: null,
        responseStatus: null,
        retryFrom: now,
        createdAt: now,
      }));
  });
  if (rows.length) await em.insert(WebhookDeliveryEntity, rows);
}

/** Another subgraph's public event (payment.refunded), consumed through the inbox. */
export async function fanOutWebhooks({ em }: Transaction, event: EventEnvelope): Promise<Outcome> {
  await writeWebhookDeliveries(em, [event]);
  return 'applied';
}
