// What every subgraph shares at run time: its database, the broker, the outbox relay and the
// transactions that feed it, token checks and metrics. Each subgraph's app.ts opens one through
// defineSubgraph, so `npm start` and the tests run the same wiring.
import type { EntitySchema, MigrationInterface, MixedList } from 'typeorm';
import { TokenService } from '../auth.js';
import type { Config, ServiceName } from '../config.js';
import { Database } from '../db/database.js';
import type { InboxDeps } from '../messaging/inbox.js';
import { openBroker, type Broker } from '../messaging/index.js';
import { openOutbox } from '../messaging/outbox.js';
import { outboxBacklog, type OutboxRelay, type RelayOptions } from '../messaging/outbox-relay.js';
import type { CommittedEvents } from '../messaging/committed-events.js';
import type { Transact, WithinTransaction } from '../messaging/transaction.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { ServiceMetrics } from '../observability/metrics.js';
import { currentTraceparent, initTelemetry } from '../observability/telemetry.js';

export interface Runtime {
  name: ServiceName;
  config: Config;
  log: Logger;
  db: Database;
  broker: Broker;
  relay: OutboxRelay;
  /** One transaction with its outbox events, handed to the relay once it commits. */
  transact: Transact;
  /** The same events, for listeners in this process that want them before the broker's copy. */
  committed: CommittedEvents;
  tokens: TokenService;
  metrics: ServiceMetrics;
  /** What consumers need to apply an event once and publish what they wrote. */
  inbox: InboxDeps;
}

export interface RuntimeOptions {
  entities: EntitySchema[];
  migrations: MixedList<new () => MigrationInterface>;
  relay?: RelayOptions;
  /**
   * Runs in every transaction that writes events, with those events, before it commits. Cheaper
   * than a service consuming its own events (a delivery, a transaction and an inbox row each),
   * and just as safe: what it writes commits with the events or not at all.
   */
  withinTransaction?: WithinTransaction;
}

export async function openRuntime(config: Config, name: ServiceName, options: RuntimeOptions): Promise<Runtime> {
  initTelemetry({ serviceName: name, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, disabled: config.OTEL_SDK_DISABLED });
  const log = createLogger(name, config.LOG_LEVEL);
  const db = await Database.open(config, { service: name, entities: options.entities, migrations: options.migrations }, log);
  const metrics = new ServiceMetrics(name, () => outboxBacklog(db));
  let broker: Broker;
  try {
    broker = await openBroker(config, log, {
      onRetry: (queue) => metrics.consumerRetries.inc({ queue }),
      onDeadLetter: (queue) => metrics.deadLettered.inc({ queue }),
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  const { relay, transact, committed } = openOutbox(db, broker, log, {
    ...options.relay,
    traceparent: currentTraceparent,
    withinTransaction: options.withinTransaction,
    onPublished: (batch) => {
      for (const e of batch) {
        metrics.eventsPublished.inc({ type: e.type });
        if (e.type === 'order.status_changed') metrics.statusTransitions.inc({ status: (e.data as { status: string }).status });
        if (e.type === 'order.created') metrics.statusTransitions.inc({ status: 'PENDING' }); // a new order's first status
      }
    },
  });
  return {
    name,
    config,
    log,
    db,
    broker,
    relay,
    transact,
    committed,
    tokens: new TokenService(config.JWT_SECRET, config.JWT_TTL),
    metrics,
    inbox: { transact, broker, log, service: name },
  };
}
