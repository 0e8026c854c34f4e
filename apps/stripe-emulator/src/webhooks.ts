/**
 * Webhook delivery as Stripe does it: a JSON event POSTed to the endpoint, signed with
 * `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "t.payload")>`, retried until the
 * endpoint answers 2xx. Delivery runs in the background so an endpoint that is down (the
 * payment subgraph not started yet) delays events instead of losing them. Each attempt
 * is signed afresh, since receivers reject signatures older than their tolerance (300s).
 */
import Stripe from 'stripe';
import { newId, nowSeconds } from './ids.js';

/** The events the emulator sends, each where Stripe sends it. */
export type EventType =
  | 'checkout.session.completed'
  | 'checkout.session.expired'
  | 'checkout.session.async_payment_succeeded'
  | 'checkout.session.async_payment_failed'
  | 'refund.created'
  | 'refund.updated'
  | 'refund.failed'
  | 'charge.refunded';

/**
 * Stripe's `event.request`: the API request that caused the event, or nulls when time or a
 * customer (the hosted page) caused it.
 */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export const NO_REQUEST: EventRequest = Object.freeze({ id: null, idempotency_key: null });

/** How state changes reach the webhook sender (the sender itself, or a test double). */
export type EmitEvent = (type: EventType, object: { id: string }, request?: EventRequest) => void;

export interface Log {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  log: Log;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Stop retrying (and log a warning) once an event has been undelivered this long. */
  giveUpAfterMs?: number;
  /** Per-attempt timeout; a hung endpoint counts as a failed attempt. */
  attemptTimeoutMs?: number;
}

export class WebhookSender {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private stopped = false;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly giveUpAfterMs: number;
  private readonly attemptTimeoutMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 120_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  }

  /** Builds the event now (snapshotting `object`) and queues its delivery. */
  send(type: EventType, object: { id: string }, request: EventRequest = NO_REQUEST): Stripe.Event {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { ...request },
      type,
    } as Stripe.Event;
    // Stripe pretty-prints webhook bodies; receivers must verify the raw bytes either way.
    const payload = JSON.stringify(event, null, 2);
    this.options.log.info({ eventId: event.id, type, objectId: object.id }, 'stripe emulator: queued webhook');
    void this.attempt(event, payload, Date.now(), 1);
    return event;
  }

  /** Cancels pending retries and aborts attempts in flight. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }

  private async attempt(event: Stripe.Event, payload: string, firstTriedAt: number, attempt: number): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.attemptTimeoutMs);
    this.inFlight.add(controller);
    let failure: string;
    try {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: this.options.secret, timestamp: nowSeconds() });
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        redirect: 'manual', // Stripe treats redirects as failed deliveries
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined); // drain so the socket can be reused
      if (res.status >= 200 && res.status < 300) {
        this.options.log.info({ eventId: event.id, type: event.type, attempt }, 'stripe emulator: webhook delivered');
        return;
      }
      failure = `HTTP ${res.status}`;
    } catch (err) {
      failure = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.stopped) return;
    const delay = Math.min(this.initialDelayMs * 2 ** (attempt - 1), this.maxDelayMs);
    if (Date.now() + delay - firstTriedAt > this.giveUpAfterMs) {
      this.options.log.warn(
        { eventId: event.id, type: event.type, attempts: attempt, url: this.options.url, failure },
        'stripe emulator: giving up on webhook delivery',
      );
      return;
    }
    this.options.log.info({ eventId: event.id, type: event.type, attempt, failure, retryInMs: delay }, 'stripe emulator: webhook failed, will retry');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(event, payload, firstTriedAt, attempt + 1);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
