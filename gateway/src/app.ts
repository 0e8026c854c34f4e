// The gateway: one federated GraphQL endpoint over the static supergraph in schema/.
// It forwards the caller's Authorization header; every subgraph verifies the token itself.
// The same process serves live order status over graphql-ws (subscriptions/) and the storefront.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import { TokenService } from '../../lib/platform/auth.js';
import { serviceUrl, SERVICES, type Config, type ServiceName } from '../../lib/platform/config.js';
import { CLIENT_ADDRESS_HEADER, clientAddressAtGateway } from '../../lib/platform/http/client-address.js';
import { startGraphqlHost } from '../../lib/platform/http/host.js';
import { openBroker } from '../../lib/platform/messaging/index.js';
import { createLogger } from '../../lib/platform/observability/logger.js';
import { ServiceMetrics } from '../../lib/platform/observability/metrics.js';
import { initTelemetry, traceHeaders } from '../../lib/platform/observability/telemetry.js';
import { supergraphPath } from '../../lib/platform/schema.js';
import { storefront } from './storefront.js';
import { startLiveStatus, type LiveStatus } from './subscriptions/server.js';
import { subgraphFetcher } from './subgraph-fetch.js';

export interface GatewayContext {
  authorization?: string;
  /** Passed on to the subgraphs, which throttle sign-in per client address. */
  clientAddress?: string;
}

export interface GatewayOptions {
  port?: number;
  /** Where each subgraph is; defaults to the *_URL settings. */
  subgraphUrls?: Partial<Record<ServiceName, string>>;
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  initTelemetry({ serviceName: 'gateway', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, disabled: config.OTEL_SDK_DISABLED });
  const log = createLogger('gateway', config.LOG_LEVEL);
  const metrics = new ServiceMetrics('gateway');
  const tokens = new TokenService(config.JWT_SECRET, config.JWT_TTL);
  const urls = Object.fromEntries(SERVICES.map((s) => [s, options.subgraphUrls?.[s] ?? serviceUrl(config, s)])) as Record<ServiceName, string>;
  const subgraphs = subgraphFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ name }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: `${urls[name as ServiceName]}/graphql`,
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
  // graphql-ws validates subscriptions against the same API schema the gateway serves.
  const loaded: { schema?: GraphQLSchema } = {};
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => (loaded.schema = apiSchema));

  // graphql-ws follows order status on the same server; it is ready once the broker that feeds it is.
  let live: LiveStatus | null = null;
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
    readiness: () => ({ broker: !!live?.brokerConnected() }),
    beforeScrape: () => metrics.openSubscriptions.set(live?.count() ?? 0),
    routes: (app) => app.use(storefront()),
  });
  const { server, apollo } = host;
  if (!loaded.schema) throw new Error('the gateway loaded no schema');
  const schema = () => loaded.schema!;
  live = await openBroker(config, log)
    .then((broker) =>
      startLiveStatus({ server, apollo, schema, broker, tokens, log, production: config.NODE_ENV === 'production', limits: config }).catch(async (err) => {
        await broker.close();
        throw err;
      }),
    )
    .catch(async (err) => {
      await apollo.stop();
      throw err;
    });

  const port = await host.listen(options.port ?? config.GATEWAY_PORT, config.HOST);
  log.info({ port }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    // WebSockets first: the HTTP drain doesn't wait for upgraded connections.
    stop: async () => {
      await live?.stop();
      await apollo.stop();
      await subgraphs.close();
    },
  };
}
