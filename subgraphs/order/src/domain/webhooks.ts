// Pure rules of outbound webhooks: which internal events are public and what they say, how a
// delivery is signed, when the next attempt is due, and which URLs may receive them.
import { createHmac } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';

export const PUBLIC_EVENTS = ['order.paid', 'order.cancelled', 'order.finished', 'payment.refunded'] as const;
export type PublicEventType = (typeof PUBLIC_EVENTS)[number];

/** What a receiver gets: the event id (the same in every attempt, to dedupe on), its type, time and data. */
export interface PublicEvent {
  id: string;
  type: PublicEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

/** The public event an internal one stands for, or null: order.finished is a status change to FINISHED. */
export function publicEventOf(event: EventEnvelope): PublicEvent | null {
  const at = { id: event.id, createdAt: event.occurredAt };
  switch (event.type) {
    case 'order.paid':
    case 'order.cancelled':
    case 'payment.refunded':
      return { ...at, type: event.type, data: { ...event.data } };
    case 'order.status_changed': {
      const change = event.data as EventEnvelope<'order.status_changed'>['data'];
      return change.status === 'FINISHED'
        ? { ...at, type: 'order.finished', data: { orderId: change.orderId, customerId: change.customerId, at: change.at } }
        : null;
    }
    default:
      return null;
  }
}

/** `Checkout-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe signs to us. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Retry n (1 after the first failure) waits base × 2^(n-1); none once the window would be passed. */
export function nextAttemptAt(failedAttempts: number, now: Date, retryFrom: Date, baseMs: number, windowMs: number): Date | null {
  const delay = baseMs * 2 ** Math.min(failedAttempts - 1, 30);
  const next = now.getTime() + delay;
  return next > retryFrom.getTime() + windowMs ? null : new Date(next);
}

export const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

/** Loopback, private, link-local, CGNAT and unique-local ranges: never reachable from the internet. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  return family === 0 ? true : PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The reason a URL can't be an endpoint, or null. `addresses` are what its host resolves to;
 * private ones are refused when `refusePrivate` (production without WEBHOOK_ALLOW_PRIVATE).
 */
export function webhookUrlProblem(url: string, addresses: string[], refusePrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must be http or https';
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  if (!refusePrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'url must not be a loopback address';
  if (!addresses.length) return 'url host does not resolve';
  if (addresses.some(isPrivateAddress)) return 'url must not be a loopback or private-range address (set WEBHOOK_ALLOW_PRIVATE=true to allow)';
  return null;
}

export function eventsProblem(events: string[]): string | null {
  if (!events.length) return 'events must name at least one event';
  const unknown = events.filter((e) => !(PUBLIC_EVENTS as readonly string[]).includes(e));
  return unknown.length ? `unknown events: ${unknown.join(', ')} (known: ${PUBLIC_EVENTS.join(', ')})` : null;
}
