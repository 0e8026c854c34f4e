// The HTTP host every service runs, the gateway and each subgraph alike: one Node server whose
// /graphql goes straight to Apollo (with the shared error masking, query limits, observability and
// production hardening) and whose other paths are Express routes (health, metrics, the service's
// own), ending in JSON errors. Each service adds only what is its own: its schema or gateway, its
// plugins, its context, its routes.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerOptionsWithGateway, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import { formatError } from '../errors.js';
import { observabilityPlugin } from '../observability/apollo-observability.js';
import type { Logger } from '../observability/logger.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { traceRequests } from '../observability/telemetry.js';
import { clientMistakesPlugin, errorResponse, graphqlOverHttp, type HttpError } from './graphql-http.js';
import { metricsRoute } from './metrics-route.js';
import { apolloQueryLimits } from './query-limits.js';

export interface GraphqlHostOptions<C extends BaseContext> {
  service: string;
  config: Config;
  log: Logger;
  metrics: ServiceMetrics;
  /** What answers /graphql: a subgraph's schema, or the gateway planning over the supergraph. */
  executes: { schema: GraphQLSchema } | Pick<ApolloServerOptionsWithGateway<C>, 'gateway'>;
  /** This service's own Apollo plugins, run before the shared ones. */
  plugins?: ApolloServerPlugin<C>[];
  context: (req: IncomingMessage) => Promise<C>;
  /** What must answer for /health/ready (its database, its broker): 503 when any does not. */
  readiness: () => Promise<Record<string, boolean>> | Record<string, boolean>;
  /** Runs before each /metrics scrape (gauges read on demand). */
  beforeScrape?: () => void;
  /** Routes that need the raw body (a signed webhook), mounted before the JSON body parser. */
  rawRoutes?: (app: Express) => void;
  /** The service's other routes (internal endpoints, the storefront). */
  routes?: (app: Express) => void;
  /** Takes /graphql requests for a subscription stream (SSE, multipart) before Apollo sees them. */
  streams?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface GraphqlHost<C extends BaseContext> {
  server: Server;
  apollo: ApolloServer<C>;
  /** Listens on host:port (0 for any free port) and resolves with the port taken. */
  listen(port: number, host: string): Promise<number>;
}

/** Builds and starts Apollo and mounts every route; the server listens once `listen` is called. */
export async function startGraphqlHost<C extends BaseContext>(o: GraphqlHostOptions<C>): Promise<GraphqlHost<C>> {
  const server = createServer();
  const production = o.config.NODE_ENV === 'production';
  // The gateway checks before it plans; every subgraph checks again, since its port is reachable too.
  const limits = apolloQueryLimits(o.config, production);
  const apollo = new ApolloServer<C>({
    ...o.executes,
    introspection: !production,
    formatError,
    includeStacktraceInErrorResponses: false,
    // bin/start.ts owns SIGTERM and stops everything in order; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ...(o.plugins ?? []),
      // Before observability: they settle an error's code before it is logged.
      clientMistakesPlugin(),
      ...limits.plugins,
      observabilityPlugin(o.metrics, o.log),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(traceRequests(o.service));
  metricsRoute(app, o.metrics, o.config.METRICS_TOKEN, o.beforeScrape);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const parts = await o.readiness();
    const ready = Object.values(parts).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', ...parts });
  });
  o.rawRoutes?.(app);
  app.use(express.json({ limit: '1mb' }));
  o.routes?.(app);
  app.use(jsonErrors(o.log));
  server.on('request', graphqlOverHttp({ apollo, service: o.service, log: o.log, rest: app, context: o.context, streams: o.streams }));
  server.keepAliveTimeout = 65_000;

  return {
    server,
    apollo,
    async listen(port, host) {
      server.listen(port, host);
      await once(server, 'listening');
      return (server.address() as AddressInfo).port;
    },
  };
}

/**
 * Express's own error page (HTML with a stack trace) must never reach a client: a body that is
 * not JSON or too large is a 4xx with a GraphQL-shaped error, anything else a bare 500.
 */
function jsonErrors(log: Logger): ErrorRequestHandler {
  return (err: HttpError, _req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, body } = errorResponse(err, log);
    res.status(status).json(body);
  };
}
