// The gateway: one federated GraphQL endpoint over the static supergraph in schema/.
// It forwards the caller's Authorization header; every subgraph verifies the token itself.
// Subscriptions (any subgraph's) go to the subgraph that owns the root field and come back through
// the query planner (subscriptions/forward.ts), over graphql-ws, graphql-sse and multipart HTTP.
// The same process serves the storefront.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { TokenService } from '../../lib/platform/auth.js';
import { servicePort, serviceUrl, SERVICES, type Config, type ServiceName } from '../../lib/platform/config.js';
import { CLIENT_ADDRESS_HEADER, clientAddressAtGateway } from '../../lib/platform/http/client-address.js';
import { startGraphqlHost } from '../../lib/platform/http/host.js';
import { serveSubscriptions, type SubscriptionTransports } from '../../lib/platform/http/subscriptions.js';
import { createLogger } from '../../lib/platform/observability/logger.js';
import { ServiceMetrics } from '../../lib/platform/observability/metrics.js';
import { initTelemetry, traceHeaders } from '../../lib/platform/observability/telemetry.js';
import { supergraphPath } from '../../lib/platform/schema.js';
import { ApolloGateway, RemoteGraphQLDataSource, trimFederationInternals } from './apollo-gateway.js';
import { storefront } from './storefront.js';
import { forwardSubscriptions } from './subscriptions/forward.js';
import { subgraphFetcher } from './subgraph-fetch.js';

export interface GatewayContext {
  authorization?: string;
  /** Passed on to the subgraphs, which throttle sign-in per client address. */
  clientAddress?: string;
}

export interface GatewayOptions {
  port?: number;
  /** Where each subgraph is (its base URL, without /graphql); overrides the settings and the supergraph. */
  subgraphUrls?: Partial<Record<ServiceName, string>>;
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Where the gateway sends a subgraph's fetches: an option or the *_URL setting when given, else
 * the supergraph's join__graph URL, so any supergraph is served as composed. For our own four,
 * a *_PORT changed without recomposing still means that port on this machine, as it always has.
 */
export function subgraphUrl(config: Config, name: string, joinUrl: string, overrides: Partial<Record<ServiceName, string>> = {}): string {
  const service = SERVICES.find((s) => s === name);
  if (!service) return joinUrl;
  const explicit = overrides[service] ?? config[`${service.toUpperCase()}_URL` as 'ACCOUNT_URL'];
  if (explicit) return `${explicit}/graphql`;
  return new URL(joinUrl).port === String(servicePort(config, service)) ? joinUrl : `${serviceUrl(config, service)}/graphql`;
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  initTelemetry({ serviceName: 'gateway', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, disabled: config.OTEL_SDK_DISABLED });
  const log = createLogger('gateway', config.LOG_LEVEL);
  const metrics = new ServiceMetrics('gateway');
  const tokens = new TokenService(config.JWT_SECRET, config.JWT_TTL);
  const subgraphs = subgraphFetcher();
  if (!trimFederationInternals()) log.warn('@apollo/federation-internals changed shape: the gateway runs it as shipped');
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: subgraphUrl(config, name, url!, options.subgraphUrls),
        // Apollo's default make-fetch-happen client cost about a fifth of the gateway's CPU.
        fetcher: subgraphs.fetch,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          if (context.clientAddress) request.http?.headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress);
          // Each subgraph call is a child of the client's request span.
          for (const [name, value] of Object.entries(traceHeaders())) request.http?.headers.set(name, value);
        },
      }),
  });
  // Subscriptions are validated against the same API schema the gateway serves.
  const loaded: { schema?: GraphQLSchema } = {};
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => (loaded.schema = apiSchema));

  // Set once the server exists (the transports attach to it); the host asks through this.
  const live: { transports?: SubscriptionTransports } = {};
  const host = await startGraphqlHost<GatewayContext>({
    service: 'gateway',
    config,
    log,
    metrics,
    executes: { gateway },
    context: async (req) => {
      // Refuse a bad token here already, so a client gets one clear UNAUTHENTICATED.
      await tokens.userFromHttpAuthorization(req.headers.authorization);
      return { authorization: req.headers.authorization, clientAddress: clientAddressAtGateway(req, config.TRUST_PROXY_HOPS) };
    },
    // Nothing of its own to wait for: the subgraphs answer for themselves.
    readiness: () => ({ schema: !!loaded.schema }),
    beforeScrape: () => metrics.openSubscriptions.set(live.transports?.count() ?? 0),
    routes: (app) => app.use(storefront()),
    streams: (req, res) => live.transports?.handle(req, res) ?? false,
  });
  const { server, apollo } = host;
  if (!loaded.schema) throw new Error('the gateway loaded no schema');
  const production = config.NODE_ENV === 'production';
  const forwarder = forwardSubscriptions({
    gateway,
    schema: () => loaded.schema!,
    limits: config,
    production,
    log,
    context: ({ authorization }) => ({ authorization }),
    authenticate: (authorization) => tokens.userFromAuthorization(authorization),
  });
  live.transports = serveSubscriptions({
    server,
    production,
    log,
    clientKey: (req) => clientAddressAtGateway(req, config.TRUST_PROXY_HOPS),
    open: forwarder.open,
  });

  const port = await host.listen(options.port ?? config.GATEWAY_PORT, config.HOST);
  log.info({ port }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    // Streams first: the HTTP drain doesn't wait for upgraded connections or open streams.
    stop: async () => {
      await live.transports?.stop();
      await forwarder.close();
      await apollo.stop();
      await subgraphs.close();
    },
  };
}
