// The sender job: due deliveries are claimed one attempt at a time (persistence/webhook-deliveries.ts,
// so two instances never send the same attempt), POSTed signed with a 10 s timeout, and their
// outcome recorded: DELIVERED on a 2xx, otherwise the next attempt after a doubling delay from
// WEBHOOK_RETRY_BASE_DELAY, or FAILED once WEBHOOK_RETRY_WINDOW would be passed.
import { IsNull } from 'typeorm';
import { isSuccess, nextAttemptAt, signatureHeader } from '../domain/webhooks.js';
import { claimAttempt, dueDeliveries } from '../persistence/webhook-deliveries.js';
import { WebhookDeliveryEntity, WebhookEndpointEntity, type WebhookDeliveryRow, type WebhookEndpointRow } from '../persistence/webhook-entities.js';
import type { OrderDeps } from './deps.js';

export const SEND_TIMEOUT_MS = 10_000;
/** An attempt in flight is retried by anyone after this, should its sender have died. */
const LEASE_MS = SEND_TIMEOUT_MS + 20_000;
const BATCH = 20;

type Deps = Pick<OrderDeps, 'db' | 'config' | 'log'>;

/** Sends every attempt due at `now`; returns how many were sent. */
export async function sendDueWebhooks(deps: Deps, { now }: { now: Date }): Promise<number> {
  const { db } = deps;
  const due = await dueDeliveries(db.manager, now, BATCH);
  const sent = await Promise.all(
    due.map(async (delivery) => {
      if (!(await claimAttempt(db.manager, delivery, now, new Date(now.getTime() + LEASE_MS)))) return 0;
      const endpoint = await db.manager.findOneBy(WebhookEndpointEntity, { id: delivery.endpointId, deletedAt: IsNull() });
      if (!endpoint) {
        await db.manager.update(WebhookDeliveryEntity, { id: delivery.id }, { status: 'FAILED', nextAttemptAt: null });
        return 0;
      }
      await attempt(deps, endpoint, { ...delivery, attempts: delivery.attempts + 1 });
      return 1;
    }),
  );
  return sent.reduce<number>((a, b) => a + b, 0);
}

async function attempt({ db, config, log }: Deps, endpoint: WebhookEndpointRow, delivery: WebhookDeliveryRow): Promise<void> {
  const responseStatus = await post(endpoint, delivery.body);
  const at = new Date();
  if (isSuccess(responseStatus)) {
    await db.manager.update(
      WebhookDeliveryEntity,
      { id: delivery.id, attempts: delivery.attempts },
      { status: 'DELIVERED', responseStatus, nextAttemptAt: null },
    );
    return;
  }
  const next = nextAttemptAt(delivery.attempts, at, delivery.retryFrom, config.WEBHOOK_RETRY_BASE_DELAY, config.WEBHOOK_RETRY_WINDOW);
  // Conditional on the attempt count: a redelivery requested meanwhile keeps its own schedule.
  await db.manager.update(
    WebhookDeliveryEntity,
    { id: delivery.id, attempts: delivery.attempts },
    next ? { responseStatus, nextAttemptAt: next } : { status: 'FAILED', responseStatus, nextAttemptAt: null },
  );
  log.info({ deliveryId: delivery.id, endpointId: endpoint.id, attempts: delivery.attempts, responseStatus, gaveUp: !next }, 'webhook delivery failed');
}

/** The HTTP status, or null when there was no answer (refused, reset, timed out). Redirects are not followed. */
async function post(endpoint: WebhookEndpointRow, body: string): Promise<number | null> {
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'checkout-supergraph-webhooks',
        'checkout-signature': signatureHeader(endpoint.secret, body, new Date()),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  } catch {
    return null;
  }
}
