// Idempotent consumers: the event id goes into the inbox table in the same transaction as the
// handler's effect, so a redelivered event changes nothing and is acked.
import type { Logger } from '../observability/logger.js';
import { SpanKind, withSpan } from '../observability/telemetry.js';
import type { EventEnvelope, EventType } from '../../contracts/events.js';
import { InboxBatcher } from './inbox-batch.js';
import type { Transact, Transaction } from './transaction.js';
import type { Broker } from './port.js';

/**
 * What a handler returns: 'applied', or 'stale' when the event is superseded or illegal for the
 * current state — logged and acked, never retried.
 */
export type Outcome = 'applied' | 'stale';

export type Effect<T extends EventType, P = undefined> = (tx: Transaction, event: EventEnvelope<T>, prepared: P) => Promise<Outcome>;

/**
 * Work done before the transaction: a call to an outside API (Stripe) must not hold a database
 * transaction open. It must be idempotent itself, since a redelivery runs it again.
 */
export type Prepare<T extends EventType, P> = (event: EventEnvelope<T>) => Promise<P>;

export interface InboxDeps {
  /** The service's transactions, whose events its relay publishes. */
  transact: Transact;
  broker: Broker;
  log: Logger;
  service: string;
  /** Test hook: called after an effect committed, before the delivery is acked. */
  afterCommit?: () => void;
}

/** One batcher per service (per Transact), shared by all its consumers: see inbox-batch.ts. */
const batchers = new WeakMap<Transact, InboxBatcher>();
const batcherOf = (deps: InboxDeps) => {
  let batcher = batchers.get(deps.transact);
  if (!batcher) batchers.set(deps.transact, (batcher = new InboxBatcher(deps.transact, deps.log)));
  return batcher;
};

export interface ConsumeOptions<T extends EventType> {
  /**
   * False when the event's own payload shows there is nothing to apply: acked at once, without a
   * transaction or an inbox row (applying nothing a second time is harmless).
   */
  applies?: (event: EventEnvelope<T>) => boolean;
}

export async function consumeOnce<T extends EventType, P = undefined>(
  deps: InboxDeps,
  eventType: T,
  effect: Effect<T, P>,
  prepare?: Prepare<T, P>,
  options: ConsumeOptions<T> = {},
): Promise<void> {
  const consumer = `${deps.service}:${eventType}`;
  const batcher = batcherOf(deps);
  await deps.broker.consume({
    service: deps.service,
    eventType,
    // Each delivery continues the trace of the transaction that wrote the event.
    handler: (event) =>
      withSpan(
        `consume ${eventType}`,
        { service: deps.service, kind: SpanKind.CONSUMER, parent: event.traceparent, attributes: { 'messaging.message.id': event.id } },
        async () => {
          if (options.applies && !options.applies(event as EventEnvelope<T>)) return;
          const prepared = (await prepare?.(event as EventEnvelope<T>)) as P;
          const outcome = await batcher.submit({ consumer, event, apply: (tx) => effect(tx, event as EventEnvelope<T>, prepared) });
          if (outcome === 'duplicate') deps.log.debug({ eventId: event.id, consumer }, 'duplicate event ignored');
          else if (outcome === 'stale') deps.log.info({ eventId: event.id, consumer, aggregateId: event.aggregateId }, 'stale event ignored');
          else deps.afterCommit?.();
        },
      ),
  });
}
