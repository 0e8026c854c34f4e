// A public event (domain/webhooks.ts) becomes one delivery row per endpoint subscribed to it,
// committed with the event itself: the order subgraph's own events (order.paid, order.cancelled,
// order.finished) get their rows in the transaction that writes them (RuntimeOptions.
// withinTransaction), so none is lost if the process dies and no delivery, transaction or inbox
// row is spent consuming our own events; payment.refunded, from payment, in its consumer's
// transaction, where a redelivery writes nothing twice (inbox).
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { publicEventOf } from '../domain/webhooks.js';

/**
 * Delivery rows for the public events among these, in the caller's transaction: one INSERT … SELECT
 * per event over the live endpoints subscribed to it, queued (folded-statements.ts) so it travels
 * with the COMMIT. Reading the endpoints first cost a round trip in every transaction that writes a
 * public event, and kept its COMMIT from going with its writes.
 */
export async function writeWebhookDeliveries(em: EntityManager, events: EventEnvelope[]): Promise<void> {
  const published = events.map(publicEventOf).filter((p) => p !== null);
  // None public (status changes other than FINISHED, cart and admin events): nothing to write.
  if (!published.length) return;
  const now = sqlTime(new Date());
  const newId = em.connection.options.type === 'mysql' ? 'UUID()' : SQLITE_UUID;
  for (const event of published) {
    await queueWrite(
      em,
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, status, attempts, next_attempt_at, last_attempt_at, response_status, retry_from, created_at)
       SELECT ${newId}, id, ?, ?, ?, 'PENDING', 0, ?, NULL, NULL, ?, ? FROM webhook_endpoints WHERE deleted_at IS NULL AND events LIKE ? ESCAPE '!'`,
      [event.id, event.type, JSON.stringify(event), now, now, now, `%${likeEscaped(JSON.stringify(event.type))}%`],
    );
  }
}

/** An endpoint's events are kept as a JSON list: the type, quoted, appears in it exactly when subscribed. */
const likeEscaped = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/** A random (version 4) uuid in SQLite's SQL, which has no uuid function. */
const SQLITE_UUID =
  "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

/** Another subgraph's public event (payment.refunded), consumed through the inbox. */
export async function fanOutWebhooks({ em }: Transaction, event: EventEnvelope): Promise<Outcome> {
  await writeWebhookDeliveries(em, [event]);
  return 'applied';
}
