// The Stripe emulator's own account of its webhooks: it logs (at info) when it queues an event and
// when the endpoint answered 2xx. Queued → delivered is the signed webhook's round trip as Stripe
// would see it — the payment subgraph's handling up to its 200 — which the bench measured itself
// when it delivered the webhooks; now the emulator delivers them, so its log is where that figure is.
import { readFileSync } from 'node:fs';
import { latency, type Latency } from './stats.js';

interface Line {
  time?: number;
  msg?: string;
  eventId?: string;
  type?: string;
  objectId?: string;
  attempt?: number;
}

export interface WebhookDeliveries {
  /** Queued → delivered (2xx), ms, for the sessions asked about. */
  deliveryMs: Latency;
  /** Of those, how many needed more than one attempt. */
  retried: number;
  /** Sessions asked about whose delivery is not in the log (still retrying, or not logged). */
  missing: number;
}

/** checkout.session.completed deliveries for these sessions, from the emulator's log file. */
export function webhookDeliveries(logFile: string, sessionIds: Set<string>): WebhookDeliveries {
  const queued = new Map<string, number>(); // eventId → time
  const delivered = new Map<string, { time: number; attempt: number }>();
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    /* no log: every session counts as missing */
  }
  for (const raw of text.split('\n')) {
    if (!raw.includes('checkout.session.completed')) continue;
    let l: Line;
    try {
      l = JSON.parse(raw) as Line;
    } catch {
      continue;
    }
    if (!l.eventId || l.time === undefined) continue;
    if (l.msg === 'stripe emulator: queued webhook' && l.objectId && sessionIds.has(l.objectId)) queued.set(l.eventId, l.time);
    if (l.msg === 'stripe emulator: webhook delivered') delivered.set(l.eventId, { time: l.time, attempt: l.attempt ?? 1 });
  }
  const samples: number[] = [];
  let retried = 0;
  for (const [eventId, at] of queued) {
    const d = delivered.get(eventId);
    if (!d) continue;
    samples.push(d.time - at);
    if (d.attempt > 1) retried++;
  }
  return { deliveryMs: latency(samples), retried, missing: sessionIds.size - samples.length };
}
