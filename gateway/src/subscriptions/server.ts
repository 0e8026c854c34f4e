// Live order status over graphql-ws on the gateway's own /graphql. @apollo/gateway can't execute
// subscriptions, so: a broker fan-out (one exclusive queue per gateway instance) tells us which
// order changed, and each subscriber's selection is resolved by running it as an `order` query
// through the same ApolloServer, as that subscriber.
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { TokenService } from '../../../lib/platform/auth.js';
import type { EventEnvelope } from '../../../lib/contracts/events.js';
import type { Broker } from '../../../lib/platform/messaging/index.js';
import { notFound, unauthenticated, userError } from '../../../lib/contracts/errors.js';
import type { Logger } from '../../../lib/platform/observability/logger.js';
import type { QueryLimits } from '../../../lib/platform/http/query-limits.js';
import { planSubscription, type LivePlan, type OrderResult } from './document.js';
import { LiveOrder, type Fetched } from './live-order.js';

export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** A larger WebSocket message closes the socket (1009) before it is parsed: a subscription is small. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface LiveStatusOptions {
  server: Server;
  apollo: ApolloServer<{ authorization?: string }>;
  /** The gateway's API schema (known once the gateway has loaded the supergraph). */
  schema: () => GraphQLSchema;
  broker: Broker;
  tokens: TokenService;
  log: Logger;
  production: boolean;
  limits: QueryLimits;
  keepAliveMs?: number;
  connectionInitWaitMs?: number;
}

export interface LiveStatus {
  /** Open subscriptions right now (for the metrics gauge). */
  count(): number;
  brokerConnected(): boolean;
  stop(): Promise<void>;
}

interface ConnectionParams {
  authorization?: unknown;
  Authorization?: unknown;
  [key: string]: unknown;
}

export async function startLiveStatus(options: LiveStatusOptions): Promise<LiveStatus> {
  const { apollo, broker, tokens, log } = options;
  const following = new Map<string, Set<LiveOrder>>();
  const forget = (sub: LiveOrder) => {
    const subs = following.get(sub.orderId);
    subs?.delete(sub);
    if (subs && !subs.size) following.delete(sub.orderId);
  };

  await broker.fanout('order.status_changed', async (event: EventEnvelope) => {
    if (event.type !== 'order.status_changed') return;
    const { status } = event.data as EventEnvelope<'order.status_changed'>['data'];
    for (const sub of following.get(event.aggregateId) ?? []) sub.onEvent(event.sequence, status);
  });
  // The exclusive queue is gone with the old connection: whatever was published meanwhile is lost.
  broker.onReconnect(() => {
    log.info({ subscriptions: [...following.values()].reduce((n, s) => n + s.size, 0) }, 'broker reconnected; replaying live status from history');
    for (const subs of following.values()) for (const sub of subs) sub.replay();
  });

  const fetchAs = (authorization: string, plan: LivePlan) => async (): Promise<Fetched> => {
    const res = await apollo.executeOperation(
      { query: plan.query, variables: plan.variables, operationName: plan.operationName },
      { contextValue: { authorization } },
    );
    if (res.body.kind !== 'single') throw new Error('unexpected incremental response');
    const { data, errors } = res.body.singleResult;
    // Apollo hands back formatted errors; graphql-ws wants GraphQLError instances to serialise.
    return { order: (data?.[plan.responseKey] as OrderResult | null | undefined) ?? null, errors: errors?.map(toGraphQLError) };
  };

  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const graphqlWs = useServer<ConnectionParams>(
    {
      isProd: options.production,
      connectionInitWaitTimeout: options.connectionInitWaitMs ?? 10_000,
      onSubscribe: async (ctx, _id, payload) => {
        // ctx.subscriptions already holds this one, so more than the limit means it is one too many.
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [userError('BAD_USER_INPUT', `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection: complete one first`)];
        }
        const plan = planSubscription(options.schema(), payload, { limits: options.limits, hideSuggestions: options.production });
        if (Array.isArray(plan)) return plan;
        const params = ctx.connectionParams ?? {};
        const authorization =
          typeof params.authorization === 'string' ? params.authorization : typeof params.Authorization === 'string' ? params.Authorization : undefined;
        try {
          if (!authorization || !(await tokens.userFromAuthorization(authorization))) return [unauthenticated()];
        } catch (err) {
          return [err as GraphQLError];
        }

        // Follow events before reading the current state, so nothing falls between the two.
        const sub = new LiveOrder(plan, fetchAs(authorization, plan), log, forget);
        if (!following.has(plan.orderId)) following.set(plan.orderId, new Set());
        following.get(plan.orderId)!.add(sub);
        let found: boolean;
        try {
          found = await sub.start();
        } catch (err) {
          sub.end();
          log.error({ err, orderId: plan.orderId }, 'live status: could not read the order');
          return [userError('INTERNAL_SERVER_ERROR', 'Internal server error')];
        }
        // Someone else's order reads exactly like one that doesn't exist.
        if (!found) {
          sub.end();
          return [notFound('Order')];
        }
        return {
          schema: options.schema(),
          document: plan.document,
          operationName: plan.operationName,
          variableValues: plan.variables,
          rootValue: sub,
          contextValue: {},
        };
      },
      // Only reached with what onSubscribe returned: the LiveOrder is the event stream.
      subscribe: (args) => args.rootValue as LiveOrder,
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  return {
    count: () => [...following.values()].reduce((n, subs) => n + subs.size, 0),
    brokerConnected: () => broker.isConnected(),
    async stop() {
      await graphqlWs.dispose();
      for (const subs of [...following.values()]) for (const sub of subs) sub.end();
      await broker.close();
    },
  };
}

function toGraphQLError(e: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(e.message, { path: e.path, extensions: e.extensions });
}
