// A subgraph as a whole: its runtime, the deps its use cases draw on, its GraphQL host (the schema
// from its SDL, its context and routes), its consumers and background jobs, started and stopped in
// order.
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Express } from 'express';
import { Kind, type DocumentNode } from 'graphql';
import type { AuthUser } from '../auth.js';
import { servicePort, type Config, type ServiceName } from '../config.js';
import { clientAddressAtSubgraph } from '../http/client-address.js';
import { startGraphqlHost } from '../http/host.js';
import { serveSubscriptions, type SubscriptionTransports } from '../http/subscriptions.js';
import type { RelayOptions } from '../messaging/outbox-relay.js';
import { purgeMessagingJob } from '../messaging/retention.js';
import { Jobs } from './jobs.js';
import { openRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { schemaSubscriptions } from './subscriptions.js';

/** What a subgraph knows of the request beyond its token. */
export interface RequestInfo {
  /** The client's address as the gateway saw it (for throttling). */
  clientAddress: string;
}

export interface SubgraphDefinition<Deps, Context extends object> extends RuntimeOptions {
  name: ServiceName;
  resolvers: unknown;
  /**
   * What the subgraph's use cases may depend on, built once per started service (so one Stripe
   * client, say, serves every request) and handed to each hook below.
   */
  deps: (runtime: Runtime) => Deps;
  createContext: (deps: Deps, user: AuthUser | null, request: RequestInfo) => Context;
  /** Subscribes the subgraph's event consumers. */
  consumers?: (runtime: Runtime, deps: Deps) => Promise<void>;
  rawRoutes?: (runtime: Runtime, deps: Deps) => (app: Express) => void;
  routes?: (runtime: Runtime, deps: Deps) => (app: Express) => void;
  /**
   * The feed behind the subgraph's Subscription fields (served over graphql-ws, graphql-sse and
   * multipart on its /graphql); `context` joins each subscription's context.
   */
  live?: (runtime: Runtime, deps: Deps) => Promise<{ context: object; stop(): Promise<void> }>;
  /** Start-up work after migrations (ensure the admin, seed the demo) and background jobs. */
  onStart?: (runtime: Runtime, deps: Deps, jobs: Jobs) => Promise<void>;
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

export function defineSubgraph<Deps, Context extends object>(def: SubgraphDefinition<Deps, Context>, typeDefs: DocumentNode): SubgraphFactory {
  return {
    async start(config, options = {}) {
      const runtime = await openRuntime(config, def.name, { ...def, relay: options.relay ?? def.relay });
      const jobs = new Jobs(runtime.log);
      // Outbox and inbox rows past retention, so both tables level off (messaging/retention.ts).
      jobs.every('messaging retention', config.SWEEP_INTERVAL, () =>
        purgeMessagingJob(runtime.db, runtime.log, {
          outboxRetentionMs: config.OUTBOX_RETENTION,
          inboxRetentionMs: config.INBOX_RETENTION,
          onPurged: (table, rows) => runtime.metrics.messagingRowsPurged.inc({ table }, rows),
        }),
      );
      // Background work first, connections last: nothing still running may need them.
      const close = async () => {
        await jobs.stop();
        await runtime.relay.stop();
        await runtime.broker.close();
        await runtime.db.close();
      };
      try {
        const deps = def.deps(runtime);
        await def.onStart?.(runtime, deps, jobs);
        await def.consumers?.(runtime, deps);
        runtime.relay.start();
        const host = await startSubgraphHost(runtime, deps, def, typeDefs, options.port ?? servicePort(config, def.name));
        return {
          runtime,
          url: host.url,
          port: host.port,
          async stop() {
            await host.stop();
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

const usesCacheHints = (typeDefs: DocumentNode) => typeDefs.definitions.some((d) => d.kind === Kind.DIRECTIVE_DEFINITION && d.name.value === 'cacheControl');

/** The subgraph's GraphQL host, listening on HOST. */
async function startSubgraphHost<Deps, Context extends object>(
  runtime: Runtime,
  deps: Deps,
  def: SubgraphDefinition<Deps, Context>,
  typeDefs: DocumentNode,
  port: number,
) {
  const schema = buildSubgraphSchema({ typeDefs, resolvers: def.resolvers as GraphQLResolverMap<unknown> });
  const contextFor = (user: AuthUser | null, clientAddress: string) => ({ ...def.createContext(deps, user, { clientAddress }), user });
  let transports: SubscriptionTransports | undefined;
  const host = await startGraphqlHost<Context & { user: AuthUser | null }>({
    service: runtime.name,
    config: runtime.config,
    log: runtime.log,
    metrics: runtime.metrics,
    executes: { schema },
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // Cache hints only where the SDL gives some (the catalogue): the gateway turns the subgraphs'
      // Cache-Control into its own; elsewhere the per-field hook cost ~2 % of a subgraph's CPU.
      ...(usesCacheHints(typeDefs) ? [] : [ApolloServerPluginCacheControlDisabled()]),
    ],
    context: async (req) => {
      const user = await runtime.tokens.userFromHttpAuthorization(req.headers.authorization);
      return contextFor(user, clientAddressAtSubgraph(req));
    },
    readiness: async () => ({ database: await runtime.db.ping(), broker: runtime.broker.isConnected() }),
    beforeScrape: () => transports && runtime.metrics.openSubscriptions.set(transports.count()),
    rawRoutes: def.rawRoutes?.(runtime, deps),
    routes: def.routes?.(runtime, deps),
    streams: (req, res) => transports?.handle(req, res) ?? false,
  });
  const live = await def.live?.(runtime, deps);
  if (live) {
    const production = runtime.config.NODE_ENV === 'production';
    const open = schemaSubscriptions({
      schema,
      limits: runtime.config,
      production,
      user: (authorization) => runtime.tokens.userFromAuthorization(authorization),
      context: (user) => ({ ...contextFor(user, ''), ...live.context }),
    });
    // A gateway holds one stream per subscriber, so no per-client cap here (the gateway has its own).
    transports = serveSubscriptions({ server: host.server, open, production, log: runtime.log, limits: { maxPerClient: Infinity } });
  }
  const actual = await host.listen(port, runtime.config.HOST);
  runtime.log.info({ port: actual }, `${runtime.name} subgraph listening`);
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    // Streams first: the HTTP drain doesn't wait for upgraded connections or open streams.
    stop: async () => {
      await transports?.stop();
      await live?.stop();
      await host.apollo.stop();
    },
  };
}
