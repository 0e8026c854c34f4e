// Outbound webhooks: the endpoints admins register and one delivery row per event and endpoint,
// written in the consumer's transaction (so nothing is lost if the process dies) and worked off
// by the sender job (use-cases/send-webhooks.ts).
import { EntitySchema } from 'typeorm';
import { col, json } from '../../../../lib/platform/db/columns.js';

export interface WebhookEndpointRow {
  id: string;
  url: string;
  events: string[];
  /** Signs each delivery; shown to the admin only when the endpoint is created. */
  secret: string;
  createdAt: Date;
  /** Deleted endpoints are kept (their delivery log still reads) but get nothing more. */
  deletedAt: Date | null;
}

/** PENDING: waiting for its next attempt (or being sent); DELIVERED: answered 2xx; FAILED: given up. */
export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** The exact JSON POSTed in every attempt, so each attempt is byte-identical. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due; also the claim (an attempt in flight pushes it past its timeout). */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  responseStatus: number | null;
  /** Retries stop WEBHOOK_RETRY_WINDOW after this (its creation, or its latest redelivery). */
  retryFrom: Date;
  createdAt: Date;
}

export const WebhookEndpointEntity = new EntitySchema<WebhookEndpointRow>({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  columns: {
    id: col.id,
    url: col.text(2000),
    events: { ...col.text(1000), transformer: json<string[]>() },
    secret: col.text(100),
    createdAt: { ...col.time(), name: 'created_at' },
    deletedAt: { ...col.time(true), name: 'deleted_at' },
  },
});

export const WebhookDeliveryEntity = new EntitySchema<WebhookDeliveryRow>({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  columns: {
    id: col.id,
    endpointId: { ...col.uuid(), name: 'endpoint_id' },
    eventId: { ...col.uuid(), name: 'event_id' },
    eventType: { ...col.text(100), name: 'event_type' },
    body: col.longText(),
    status: col.text(16),
    attempts: col.int(),
    nextAttemptAt: { ...col.time(true), name: 'next_attempt_at' },
    lastAttemptAt: { ...col.time(true), name: 'last_attempt_at' },
    responseStatus: { ...col.int(true), name: 'response_status' },
    retryFrom: { ...col.time(), name: 'retry_from' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

export const webhookEntities = [WebhookEndpointEntity, WebhookDeliveryEntity];
