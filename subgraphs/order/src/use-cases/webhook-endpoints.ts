// Admin steps on webhook endpoints and their delivery log. Each change commits with its audit
// event (adminAction) in one transaction.
import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { IsNull } from 'typeorm';
import { adminAction } from '../../../../lib/contracts/audit.js';
import { badInput, notFound } from '../../../../lib/contracts/errors.js';
import { decodeTimeCursor, encodeTimeCursor, pageSize } from '../../../../lib/contracts/pagination.js';
import { eventsProblem, webhookUrlProblem } from '../domain/webhooks.js';
import { deliveriesAfter } from '../persistence/webhook-deliveries.js';
import { WebhookDeliveryEntity, WebhookEndpointEntity, type WebhookDeliveryRow, type WebhookEndpointRow } from '../persistence/webhook-entities.js';
import type { OrderDeps } from './deps.js';

type Deps = Pick<OrderDeps, 'db' | 'transact' | 'config'>;

export interface NewEndpoint {
  actorId: string;
  url: string;
  events: string[];
}

/** What a hostname resolves to (an IP literal is itself); none when it doesn't resolve. */
async function addressesOf(url: string): Promise<string[]> {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

export async function createWebhookEndpoint({ transact, config }: Deps, input: NewEndpoint): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const url = input.url.trim();
  const events = [...new Set(input.events.map((e) => e.trim()))];
  const eventsWrong = eventsProblem(events);
  if (eventsWrong) throw badInput(eventsWrong, { field: 'events' });
  // Production refuses addresses inside our own network: an admin token must not reach internal services.
  const refusePrivate = config.NODE_ENV === 'production' && !config.WEBHOOK_ALLOW_PRIVATE;
  const urlWrong = webhookUrlProblem(url, refusePrivate ? await addressesOf(url) : [], refusePrivate);
  if (urlWrong) throw badInput(urlWrong, { field: 'url' });
  const endpoint: WebhookEndpointRow = {
    id: randomUUID(),
    url,
    events,
    secret: `whsec_${randomBytes(24).toString('hex')}`,
    createdAt: new Date(),
    deletedAt: null,
  };
  await transact(async ({ em, enqueue }) => {
    await em.insert(WebhookEndpointEntity, endpoint);
    await enqueue(adminAction(input.actorId, 'createWebhookEndpoint', endpoint.id, `${url} for ${events.join(', ')}`));
  });
  return { endpoint, secret: endpoint.secret };
}

/** Deleted: nothing more is sent to it, its pending deliveries fail; false when there was no such endpoint. */
export async function deleteWebhookEndpoint({ transact }: Deps, { actorId, id }: { actorId: string; id: string }): Promise<boolean> {
  return transact(async ({ em, enqueue }) => {
    const gone = await em.update(WebhookEndpointEntity, { id, deletedAt: IsNull() }, { deletedAt: new Date() });
    if (!gone.affected) return false;
    await em.update(WebhookDeliveryEntity, { endpointId: id, status: 'PENDING' }, { status: 'FAILED', nextAttemptAt: null });
    await enqueue(adminAction(actorId, 'deleteWebhookEndpoint', id, null));
    return true;
  });
}

export function listWebhookEndpoints({ db }: Deps): Promise<WebhookEndpointRow[]> {
  return db.manager.find(WebhookEndpointEntity, { where: { deletedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export interface DeliveryPage {
  nodes: WebhookDeliveryRow[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export async function listWebhookDeliveries({ db }: Deps, input: { endpointId: string; first?: number | null; after?: string | null }): Promise<DeliveryPage> {
  const size = pageSize(input.first);
  const after = input.after ? decodeTimeCursor(input.after) : null;
  const rows = await deliveriesAfter(db.manager, input.endpointId, after, size + 1);
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeTimeCursor({ at: last.createdAt, id: last.id }) : null } };
}

/** Due again now, with a fresh retry window, whatever it was (a delivered one is sent once more). */
export async function redeliverWebhook({ transact }: Deps, { actorId, deliveryId }: { actorId: string; deliveryId: string }): Promise<WebhookDeliveryRow> {
  return transact(async ({ em, enqueue }) => {
    const delivery = await em.findOneBy(WebhookDeliveryEntity, { id: deliveryId });
    if (!delivery) throw notFound('Webhook delivery');
    const endpoint = await em.findOneBy(WebhookEndpointEntity, { id: delivery.endpointId });
    if (!endpoint || endpoint.deletedAt) throw badInput('The delivery’s endpoint was deleted', { field: 'deliveryId' });
    const now = new Date();
    await em.update(WebhookDeliveryEntity, { id: deliveryId }, { status: 'PENDING', nextAttemptAt: now, retryFrom: now });
    await enqueue(adminAction(actorId, 'redeliverWebhook', deliveryId, `${delivery.eventType} ${delivery.eventId} to ${endpoint.url}`));
    return { ...delivery, status: 'PENDING' as const, nextAttemptAt: now, retryFrom: now };
  });
}
