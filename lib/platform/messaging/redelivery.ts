// How long after an event was applied (its inbox row's processed_at) a copy of it can still reach
// the same consumer: the inbox must keep the row at least that long, or the copy is applied twice.
// config.ts refuses an INBOX_RETENTION shorter than inboxRetentionFloor(); retention.ts purges.
//
// Where a second copy of an applied event comes from:
//  1. The consumer committed (effect + inbox row) but the ack never reached the broker (a crash, a
//     lost connection): RabbitMQ redelivers the unacked message as soon as a consumer is back.
//  2. The commit went through but the handler still failed (the COMMIT's answer was lost, a hook
//     after the commit threw): the broker re-routes the message to its retry queue, so it comes back
//     after retryDelay(base, attempt), up to MAX_ATTEMPTS deliveries in all.
//  3. The producer's relay had the event confirmed but crashed (or lost its database) before marking
//     the row sent: its poll publishes the row again, a graceMs (2 s) to a few seconds later, or as
//     soon as the producer is back.
// Each such copy is an ordinary delivery: when the handler fails before the inbox insert (database
// unreachable), it goes through the whole retry schedule, up to MAX_ATTEMPTS deliveries, before it
// is dead-lettered. So the automatic window is
//     the time until the copy exists (1: seconds, 3: seconds)
//   + the retry schedule: the sum of retryDelay(base, k) for k = 1 … MAX_ATTEMPTS − 1
//   + queueing and the handler time of each attempt,
// and the floor is that schedule plus REDELIVERY_MARGIN for the parts that are not computed.
//
// Dead letters are the exception the floor cannot cover: a message dead-lettered after its effect
// committed (case 2 with the database down for every retry, or a copy from case 3 that failed every
// attempt) has been applied, and `npm run dlq -- replay` sends it back with a fresh attempt count
// whenever an operator runs it. Its inbox row must still exist then, so dead letters must be replayed
// within INBOX_RETENTION of the event (the README says so). The same goes for outages longer than the
// margin (a producer or a consumer down, RabbitMQ down with an unacked message): keep INBOX_RETENTION
// well beyond the longest outage you would sit out; the default 7 days is.
import { retryDelay } from './port.js';

/**
 * What the retry schedule does not compute: the relay's grace and back-off (seconds), a message
 * waiting behind a backlog, each attempt's handler time, and short outages. Generous on purpose.
 */
export const REDELIVERY_MARGIN_MS = 60 * 60_000;

/** The delays a delivery waits between its attempts: retryDelay after each failed one but the last. */
export function retryScheduleMs(maxAttempts: number, retryBaseDelayMs: number): number {
  let total = 0;
  for (let attempt = 1; attempt < maxAttempts; attempt++) total += retryDelay(retryBaseDelayMs, attempt);
  return total;
}

/** The shortest INBOX_RETENTION config accepts: the retry schedule plus REDELIVERY_MARGIN_MS. */
export function inboxRetentionFloorMs(maxAttempts: number, retryBaseDelayMs: number): number {
  return retryScheduleMs(maxAttempts, retryBaseDelayMs) + REDELIVERY_MARGIN_MS;
}

/** A duration as config accepts it: whole days, hours, minutes or seconds where exact, else milliseconds. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
