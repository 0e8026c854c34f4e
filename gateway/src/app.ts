// The gateway: one federated GraphQL endpoint over the static supergraph in schema/.
// It forwards the caller's Authorization header; every subgraph verifies the token itself.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { TokenService } from '../../lib/auth.js';
import { serviceUrl, SERVICES, type Config, type ServiceName } from '../../lib/config.js';
import { formatError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { supergraphPath } from '../../lib/schema.js';

export interface GatewayContext {
  authorization?: string;
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
  const log = createLogger('gateway', config.LOG_LEVEL);
  const tokens = new TokenService(config.JWT_SECRET);
  const urls = Object.fromEntries(SERVICES.map((s) => [s, options.subgraphUrls?.[s] ?? serviceUrl(config, s)])) as Record<ServiceName, string>;
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ name }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: `${urls[name as ServiceName]}/graphql`,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });

  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  const production = config.NODE_ENV === 'production';
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server }), ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        // Refuse a bad token here already, so a client gets one clear UNAUTHENTICATED.
        await tokens.userFromAuthorization(req.headers.authorization);
        return { authorization: req.headers.authorization };
      },
    }),
  );

  server.keepAliveTimeout = 65_000;
  server.listen(options.port ?? config.GATEWAY_PORT, config.HOST);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    stop: () => apollo.stop(),
  };
}
