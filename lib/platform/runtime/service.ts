// What every subgraph shares at run time: its database, the broker, the outbox relay, token
// checks, and an HTTP server with the subgraph's GraphQL endpoint, health checks and its own routes.
// Each subgraph's app.ts builds one of these, so `npm start` and the tests run the same wiring.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { DocumentNode } from 'graphql';
import type { EntitySchema, MigrationInterface, MixedList } from 'typeorm';
import { TokenService, type AuthUser } from '../auth.js';
import { openBroker, type Broker } from '../messaging/index.js';
import { clientAddressAtSubgraph } from '../http/client-address.js';
import type { InboxDeps } from '../messaging/inbox.js';
import { OutboxRelay, outboxBacklog, setTraceparentSource, type RelayOptions } from '../messaging/outbox.js';
import { servicePort, type Config, type ServiceName } from '../config.js';
import { Database } from '../db/database.js';
import { formatError } from '../errors.js';
import { clientMistakesPlugin, errorResponse, graphqlOverHttp, type HttpError } from '../http/graphql-http.js';
import { observabilityPlugin } from '../observability/apollo-observability.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { ServiceMetrics } from '../observability/metrics.js';
import { metricsRoute } from '../http/metrics-route.js';
import { apolloQueryLimits } from '../http/query-limits.js';
import { currentTraceparent, initTelemetry, traceRequests } from '../observability/telemetry.js';

export interface Runtime {
  name: ServiceName;
  config: Config;
  log: Logger;
  db: Database;
  broker: Broker;
  relay: OutboxRelay;
  tokens: TokenService;
  metrics: ServiceMetrics;
  /** What consumers need to apply an event once and publish what they wrote. */
  inbox: InboxDeps;
}

export interface RuntimeOptions {
  entities: EntitySchema[];
  migrations: MixedList<new () => MigrationInterface>;
  relay?: RelayOptions;
}

export async function openRuntime(config: Config, name: ServiceName, options: RuntimeOptions): Promise<Runtime> {
  initTelemetry({ serviceName: name, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, disabled: config.OTEL_SDK_DISABLED });
  setTraceparentSource(currentTraceparent);
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
  const relay = new OutboxRelay(db, broker, log, {
    ...options.relay,
    onPublished: (batch) => {
      for (const e of batch) {
        metrics.eventsPublished.inc({ type: e.type });
        if (e.type === 'order.status_changed') metrics.statusTransitions.inc({ status: (e.data as { status: string }).status });
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
    tokens: new TokenService(config.JWT_SECRET, config.JWT_TTL),
    metrics,
    inbox: { db, broker, log, service: name },
  };
}

/** What a subgraph knows of the request beyond its token. */
export interface RequestInfo {
  /** The client's address as the gateway saw it (for throttling). */
  clientAddress: string;
}

export interface SubgraphServerOptions<Context> {
  typeDefs: DocumentNode;
  resolvers: unknown;
  context: (user: AuthUser | null, request: RequestInfo) => Context;
  /** Routes mounted before the JSON body parser (e.g. a webhook that needs the raw body). */
  rawRoutes?: (app: Express) => void;
  /** Routes mounted after it (internal JSON endpoints). */
  routes?: (app: Express) => void;
}

export interface RunningService {
  url: string;
  port: number;
  server: Server;
}

export async function startSubgraphServer<Context extends object>(
  runtime: Runtime,
  options: SubgraphServerOptions<Context>,
  port = servicePort(runtime.config, runtime.name),
): Promise<RunningService & { stopServer(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  const server = createServer();
  const production = runtime.config.NODE_ENV === 'production';
  // The same limits as the gateway's: a subgraph port is reachable without it.
  const limits = apolloQueryLimits(runtime.config, production);
  const apollo = new ApolloServer<Context & { user: AuthUser | null }>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> }),
    introspection: !production,
    formatError,
    includeStacktraceInErrorResponses: false,
    // bin/start.ts owns SIGTERM and stops everything in order; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginInlineTraceDisabled(),
      // No HTTP caching of GraphQL responses here; its per-field hook cost ~2 % of a subgraph's CPU.
      ApolloServerPluginCacheControlDisabled(),
      // Before observability: they settle an error's code before it is logged.
      clientMistakesPlugin(),
      ...limits.plugins,
      observabilityPlugin(runtime.metrics, runtime.log),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  app.use(traceRequests(runtime.name));
  metricsRoute(app, runtime.metrics, runtime.config.METRICS_TOKEN);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const database = await runtime.db.ping();
    const broker = runtime.broker.isConnected();
    res.status(database && broker ? 200 : 503).json({ status: database && broker ? 'ok' : 'unavailable', database, broker });
  });
  options.rawRoutes?.(app);
  app.use(express.json({ limit: '1mb' }));
  options.routes?.(app);
  app.use(jsonErrors(runtime.log));
  server.on(
    'request',
    graphqlOverHttp({
      apollo,
      service: runtime.name,
      log: runtime.log,
      rest: app,
      context: async (req) => {
        const user = await runtime.tokens.userFromHttpAuthorization(req.headers.authorization);
        return { ...options.context(user, { clientAddress: clientAddressAtSubgraph(req) }), user };
      },
    }),
  );

  server.keepAliveTimeout = 65_000;
  server.listen(port, runtime.config.HOST);
  await once(server, 'listening');
  const actual = (server.address() as AddressInfo).port;
  runtime.log.info({ port: actual }, `${runtime.name} subgraph listening`);
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    server,
    stopServer: () => apollo.stop(),
  };
}

export interface SubgraphDefinition<Context extends object> extends RuntimeOptions {
  name: ServiceName;
  resolvers: unknown;
  createContext: (runtime: Runtime, user: AuthUser | null, request: RequestInfo) => Context;
  /** Subscribes the subgraph's event consumers. */
  consumers?: (runtime: Runtime) => Promise<void>;
  rawRoutes?: (runtime: Runtime) => (app: Express) => void;
  routes?: (runtime: Runtime) => (app: Express) => void;
  /** Start-up work after migrations (ensure the admin, seed the demo) and background jobs. */
  onStart?: (runtime: Runtime, jobs: Jobs) => Promise<void>;
}

export interface Subgraph {
  runtime: Runtime;
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface SubgraphFactory {
  start(config: Config, options?: { port?: number; relay?: RelayOptions }): Promise<Subgraph>;
}

/** Background work on a timer, stopped with the service. */
export class Jobs {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly log: Logger) {}

  every(name: string, intervalMs: number, fn: () => Promise<unknown>) {
    const run = () => {
      if (this.stopped) return;
      const p = fn()
        .catch((err) => this.log.warn({ err: (err as Error).message, job: name }, 'background job failed'))
        .finally(() => {
          this.running.delete(p);
          if (this.stopped) return;
          const t = setTimeout(run, intervalMs);
          this.timers.add(t);
        });
      this.running.add(p);
    };
    const t = setTimeout(run, intervalMs);
    this.timers.add(t);
  }

  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.running);
  }
}

export function defineSubgraph<Context extends object>(def: SubgraphDefinition<Context>, typeDefs: DocumentNode): SubgraphFactory {
  return {
    async start(config, options = {}) {
      const runtime = await openRuntime(config, def.name, { ...def, relay: options.relay ?? def.relay });
      const jobs = new Jobs(runtime.log);
      // Background work first, connections last: nothing still running may need them.
      const close = async () => {
        await jobs.stop();
        await runtime.relay.stop();
        await runtime.broker.close();
        await runtime.db.close();
      };
      try {
        await def.onStart?.(runtime, jobs);
        await def.consumers?.(runtime);
        runtime.relay.start();
        const server = await startSubgraphServer(
          runtime,
          {
            typeDefs,
            resolvers: def.resolvers,
            context: (user, request) => def.createContext(runtime, user, request),
            rawRoutes: def.rawRoutes?.(runtime),
            routes: def.routes?.(runtime),
          },
          options.port,
        );
        return {
          runtime,
          url: server.url,
          port: server.port,
          async stop() {
            await server.stopServer();
            await close();
          },
        };
      } catch (err) {
        await close();
        throw err;
      }
    },
  };
}

/**
 * Express's own error page (HTML with a stack trace) must never reach a client: a body that is
 * not JSON or too large is a 4xx with a GraphQL-shaped error, anything else a bare 500.
 */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (err: HttpError, _req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, body } = errorResponse(err, log);
    res.status(status).json(body);
  };
}
