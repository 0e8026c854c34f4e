// Helpers for tests of the event backbone: a throwaway service (database with outbox, inbox and an
// effects table, broker, relay), raw publishes that no producer of ours would make, the dead-letter
// queue, and waiting for an effect. Work on both the embedded default and MariaDB + RabbitMQ.
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Table, EntitySchema, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { InboxDeps } from '../platform/messaging/inbox.js';
import { newEvent, type EventEnvelope, type NewEvent } from '../contracts/events.js';
import { openBroker, type Broker } from '../platform/messaging/index.js';
import { createMessagingTables, InboxEntity, OutboxEntity } from '../platform/messaging/outbox-tables.js';
import { openOutbox } from '../platform/messaging/outbox.js';
import type { OutboxRelay, RelayOptions } from '../platform/messaging/outbox-relay.js';
import type { Transact } from '../platform/messaging/transaction.js';
import type { Config } from '../platform/config.js';
import { time, uuid } from '../platform/db/columns.js';
import { Database } from '../platform/db/database.js';
import { createLogger, type Logger } from '../platform/observability/logger.js';
import { dropBrokerTopology, TEST_SERVICE } from './broker-outside.js';
import { dropDatabases, testConfig } from './config.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { waitFor } from './graphql.js';

interface EffectRow {
  position: number;
  eventId: string;
  at: Date;
}

/** One row per applied effect, deliberately without a unique key: a duplicate effect shows as two rows. */
const EffectEntity = new EntitySchema<EffectRow>({
  name: 'BtEffect',
  tableName: 'bt_effects',
  columns: {
    position: { type: 'integer', primary: true, generated: 'increment' },
    eventId: { type: 'varchar', length: 36, name: 'event_id' },
    at: { type: 'datetime', precision: 3 },
  },
});

class CreateBrokerTestSchema1732000000900 implements MigrationInterface {
  name = 'CreateBrokerTestSchema1732000000900';
  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    await q.createTable(
      new Table({
        name: 'bt_effects',
        columns: [{ name: 'position', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }, uuid('event_id'), time('at')],
      }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('bt_effects');
    await q.dropTable('inbox');
    await q.dropTable('outbox');
  }
}

export interface TestService {
  config: Config;
  log: Logger;
  db: Database;
  broker: Broker;
  relay: OutboxRelay;
  /** What consumeOnce needs; its broker records every delivery. */
  inbox: InboxDeps;
  /** Transactions whose events this service's relay publishes after the commit. */
  transact: Transact;
  /** Deliveries to the consumers subscribed through `inbox`, per event id. */
  deliveries: DeliveryLog;
  /** Writes events to the outbox in one transaction (the relay publishes them once it commits). */
  commit(...events: NewEvent[]): Promise<void>;
  /** The ids the outbox gave the events about this aggregate, oldest first. */
  eventIds(aggregateId: string): Promise<string[]>;
  /** The effect of the tests' consumers: one row per call, in the consumer's transaction. */
  applyEffect(em: EntityManager, event: EventEnvelope): Promise<'applied'>;
  /** How many effect rows there are, and for how many distinct events. */
  effects(): Promise<{ total: number; distinct: number }>;
  /** Effect rows of one event. */
  effectsOf(eventId: string): Promise<number>;
  /** Outbox rows not yet marked sent. */
  unsent(): Promise<number>;
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  relay?: RelayOptions;
  /** Start the relay's timer (default true); tests driving drain() themselves pass false. */
  startRelay?: boolean;
  /** Share this database instead of opening one (a second instance in the same process on SQLite). */
  db?: Database;
  /** Open the broker with this config instead (e.g. AMQP_URL through a fault proxy). */
  brokerConfig?: Config;
}

/** A tiny service with the real wiring: Database + outbox/inbox tables, openBroker, OutboxRelay. */
export async function openTestService(config: Config, options: TestServiceOptions = {}): Promise<TestService> {
  const log = createLogger(TEST_SERVICE, config.LOG_LEVEL);
  const db =
    options.db ??
    (await Database.open(
      config,
      { service: TEST_SERVICE, entities: [OutboxEntity, InboxEntity, EffectEntity], migrations: [CreateBrokerTestSchema1732000000900] },
      log,
    ));
  let broker: Broker;
  try {
    broker = await openBroker(options.brokerConfig ?? config, log);
  } catch (err) {
    if (!options.db) await db.close();
    throw err;
  }
  const { relay, transact } = openOutbox(db, broker, log, options.relay);
  if (options.startRelay !== false) relay.start();
  const deliveries = new DeliveryLog();
  const count = async (sql: string, params: unknown[] = []) => {
    const [row] = await db.manager.query(sql, params);
    return row as Record<string, unknown>;
  };
  return {
    config,
    log,
    db,
    broker,
    relay,
    transact,
    inbox: { transact, broker: observed(broker, deliveries), log, service: TEST_SERVICE },
    deliveries,
    async commit(...events) {
      await transact((tx) => tx.enqueue(...events));
    },
    async eventIds(aggregateId) {
      const rows: { id: string }[] = await db.manager.query('SELECT id FROM outbox WHERE aggregate_id = ? ORDER BY position', [aggregateId]);
      return rows.map((r) => r.id);
    },
    async applyEffect(em, event) {
      await em.insert(EffectEntity, { eventId: event.id, at: new Date() });
      return 'applied';
    },
    async effects() {
      const row = await count('SELECT COUNT(*) AS total, COUNT(DISTINCT event_id) AS n FROM bt_effects');
      return { total: Number(row.total), distinct: Number(row.n) };
    },
    async effectsOf(eventId) {
      return Number((await count('SELECT COUNT(*) AS n FROM bt_effects WHERE event_id = ?', [eventId])).n);
    },
    async unsent() {
      return Number((await count('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL')).n);
    },
    async stop() {
      await relay.stop();
      await broker.close();
      if (!options.db) await db.close();
    },
  };
}

/** How often each event reached a handler and how that ended (a duplicate the inbox absorbed counts as ok). */
export class DeliveryLog {
  readonly ok = new Map<string, number>();
  readonly failed = new Map<string, number>();
  of(eventId: string): number {
    return (this.ok.get(eventId) ?? 0) + (this.failed.get(eventId) ?? 0);
  }
  get total(): number {
    let n = 0;
    for (const m of [this.ok, this.failed]) for (const v of m.values()) n += v;
    return n;
  }
}

/** The same broker, with every consumer's handler counted in the log. */
function observed(broker: Broker, log: DeliveryLog): Broker {
  const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  return {
    kind: broker.kind,
    publish: (events) => broker.publish(events),
    consume: (spec) =>
      broker.consume({
        ...spec,
        handler: async (event) => {
          try {
            await spec.handler(event);
            bump(log.ok, event.id);
          } catch (err) {
            bump(log.failed, event.id);
            throw err;
          }
        },
      }),
    fanout: (eventType, handler) => broker.fanout(eventType, handler),
    onReconnect: (listener) => broker.onReconnect(listener),
    peekDeadLetters: () => broker.peekDeadLetters(),
    replayDeadLetters: () => broker.replayDeadLetters(),
    isConnected: () => broker.isConnected(),
    close: () => broker.close(),
  };
}

/** Polls until check returns something truthy (an effect became visible); fails after the timeout. */
export function waitForEffect<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  return waitFor(check, what, timeoutMs);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Settings for backbone tests: few attempts and short retry delays, unique prefixes. */
export const BACKBONE_SETTINGS = { MAX_ATTEMPTS: '3', RETRY_BASE_DELAY: '20ms' };

export interface BackboneScope {
  config: Config;
  /** Opens a throwaway service, stopped when the test ends. */
  open(options?: TestServiceOptions): Promise<TestService>;
  /** Runs fn when the test ends, after the services stopped (e.g. stop a proxy or a second broker). */
  defer(fn: () => Promise<unknown> | unknown): void;
  /** A fault proxy in front of RabbitMQ, stopped after the test; its URL goes in AMQP_URL. */
  proxyToRabbitMq(): Promise<{ proxy: FaultProxy; amqpUrl: string }>;
}

/** A unique config for one test; after it, stops what it opened and drops its databases and queues. */
export function backboneScope(t: TestContext, overrides: Record<string, string> = {}, eventTypes: string[] = ['order.paid']): BackboneScope {
  const config = testConfig({ ...BACKBONE_SETTINGS, ...overrides });
  const services: TestService[] = [];
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  t.after(async () => {
    for (const svc of services.reverse()) await svc.stop().catch(() => undefined);
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    if (config.AMQP_URL) {
      const consumers = eventTypes.map((eventType) => ({ service: TEST_SERVICE, eventType }));
      const topology = { amqpUrl: config.AMQP_URL, prefix: config.BROKER_PREFIX, consumers, retryBaseDelaysMs: [config.RETRY_BASE_DELAY] };
      await dropBrokerTopology(topology).catch(() => undefined);
    }
    await dropDatabases(config);
  });
  return {
    config,
    async open(options) {
      const svc = await openTestService(config, options);
      services.push(svc);
      return svc;
    },
    defer(fn) {
      cleanups.push(fn);
    },
    async proxyToRabbitMq() {
      const target = new URL(config.AMQP_URL!);
      const proxy = await startFaultProxy(target.hostname, Number(target.port || 5672));
      cleanups.push(() => proxy.stop());
      return { proxy, amqpUrl: proxy.via(config.AMQP_URL!) };
    },
  };
}

/** An order.paid event as a use case would enqueue it. */
export function paidEvent(orderId: string = randomUUID()): NewEvent<'order.paid'> {
  return newEvent('order.paid', orderId, { orderId, customerId: randomUUID(), amountDue: 1000, currency: 'USD', shippingAddress: null });
}

/** A complete order.paid envelope, for publishing straight to the broker. */
export function paidEnvelope(orderId: string = randomUUID()): EventEnvelope<'order.paid'> {
  const e = paidEvent(orderId);
  return { id: randomUUID(), type: e.type, occurredAt: new Date().toISOString(), aggregateId: orderId, sequence: 1, traceparent: null, data: e.data };
}
