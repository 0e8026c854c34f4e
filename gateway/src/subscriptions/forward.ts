// Subscriptions through the gateway, for any Subscription field of any subgraph: the query planner
// (from the supergraph's join directives) names the subgraph that owns the root field and the
// operation to send it; we forward that over graphql-ws, and for each event it pushes we run the
// rest of the plan (the other subgraphs' fields) as the subscriber, as for a query.
import type { ApolloGateway, GraphQLDataSource, RemoteGraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { FetchNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { userError } from '../../../lib/contracts/errors.js';
import { buildOperationContext, executeQueryPlan } from '../apollo-gateway.js';
import {
  checkSubscription,
  maskedErrors,
  type CheckedSubscription,
  type OpenSubscription,
  type SubscriptionRequest,
} from '../../../lib/platform/http/subscriptions.js';
import type { QueryLimits } from '../../../lib/platform/http/query-limits.js';
import type { Logger } from '../../../lib/platform/observability/logger.js';
import type { GatewayContext } from '../app.js';
import { UpstreamSockets } from './upstream.js';

/** What @apollo/gateway keeps once it has loaded the supergraph (it has no public planning API). */
interface LoadedGateway {
  queryPlanner: QueryPlanner;
  apiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  schema: GraphQLSchema;
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
}

export interface ForwardOptions {
  gateway: ApolloGateway;
  /** The API schema clients' documents are validated against. */
  schema: () => GraphQLSchema;
  limits: QueryLimits;
  production: boolean;
  log: Logger;
  /** The context each event's fetches run with, as a query by this subscriber would. */
  context: (request: SubscriptionRequest) => GatewayContext;
  /** Throws UNAUTHENTICATED for a bad token (the upstream socket it would share was opened with it earlier). */
  authenticate: (authorization: string | undefined) => Promise<unknown>;
}

/** A subscription's plan, and what executing its rest needs, made once per document. */
interface Planned {
  plan: QueryPlan;
  operationContext: ReturnType<typeof buildOperationContext>;
}

/** What the owning subgraph pushes, as graphql-ws's client hands it over. */
type Pushed = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** The plan's first fetch, answered by the event the owning subgraph pushed instead of a request. */
const EVENT = '__subscription_event__';

export function forwardSubscriptions(o: ForwardOptions): { open: OpenSubscription; close(): Promise<void> } {
  const sockets = new UpstreamSockets();
  // Planning costs as much as for a query (milliseconds); @apollo/gateway caches plans only on its
  // own execution path, which subscriptions don't take. Per supergraph, per document.
  const plans = new WeakMap<GraphQLSchema, LRUCache<string, Planned>>();
  const planFor = (g: LoadedGateway, checked: CheckedSubscription, query: string): Planned => {
    let cache = plans.get(g.schema);
    if (!cache) plans.set(g.schema, (cache = new LRUCache({ max: 500 })));
    const key = `${checked.operationName ?? ''}\n${query}`;
    let planned = cache.get(key);
    if (!planned) {
      const operation = operationFromDocument(g.apiSchema, checked.document, { operationName: checked.operationName });
      planned = {
        plan: g.queryPlanner.buildQueryPlan(operation),
        operationContext: buildOperationContext({ schema: g.schema, operationDocument: checked.document, operationName: checked.operationName }),
      };
      cache.set(key, planned);
    }
    return planned;
  };

  const open: OpenSubscription = async (request) => {
    const checked = checkSubscription(o.schema(), request.payload, o.limits, o.production);
    if (Array.isArray(checked)) return checked;
    try {
      await o.authenticate(request.authorization);
    } catch (err) {
      return [err instanceof GraphQLError ? err : userError('UNAUTHENTICATED', 'Invalid token')];
    }
    const g = o.gateway as unknown as LoadedGateway;
    const { plan, operationContext } = planFor(g, checked, request.payload.query);
    if (plan.node?.kind !== 'Subscription') return [userError('BAD_USER_INPUT', 'Not a subscription')];
    const { primary, rest } = plan.node;
    const owner = g.serviceMap[primary.serviceName]!.dataSource as RemoteGraphQLDataSource;

    const client = sockets.client(owner.url, request.authorization);
    const variables = Object.fromEntries((primary.variableUsages ?? []).filter((n) => n in checked.variables).map((n) => [n, checked.variables[n]]));
    const upstream = client.iterate<Record<string, unknown>>({ query: primary.operation, operationName: primary.operationName ?? undefined, variables });
    // The first push (the current state) or the refusal decides whether the subscription starts.
    let first: IteratorResult<Pushed>;
    try {
      first = await upstream.next();
    } catch (err) {
      return refusal(err, primary.serviceName, o.log);
    }

    const eventFetch: FetchNode = { ...primary, serviceName: EVENT };
    const eventPlan: QueryPlan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [eventFetch, rest] } : eventFetch };
    const context = o.context(request);
    const resolve = async (event: Pushed): Promise<ExecutionResult> => {
      const services: ServiceMap = { [EVENT]: { process: async () => event } as unknown as GraphQLDataSource };
      for (const [name, { dataSource }] of Object.entries(g.serviceMap)) services[name] = dataSource;
      const requestContext = {
        request: { query: request.payload.query, variables: checked.variables, operationName: checked.operationName },
        context,
        metrics: {},
        logger: o.log,
      } as unknown as GatewayGraphQLRequestContext;
      const { data, errors } = await executeQueryPlan(eventPlan, services, requestContext, operationContext, g.supergraphSchema, g.apiSchema);
      return { data, ...(errors?.length ? { errors: maskedErrors(errors) } : {}) };
    };

    async function* stream(): AsyncGenerator<ExecutionResult> {
      try {
        if (first.done) return;
        yield await resolve(first.value);
        // One event at a time: the pushes keep the order the owning subgraph sent them in.
        for await (const event of { [Symbol.asyncIterator]: () => upstream }) yield await resolve(event);
      } catch (err) {
        const errors = refusal(err, primary.serviceName, o.log);
        yield { errors };
      } finally {
        // Ends this subscription only; the socket closes once the subscriber has none left.
        await upstream.return?.();
      }
    }
    return { document: checked.document, stream: stream() };
  };
  return { open, close: () => sockets.close() };
}

/** The owning subgraph's refusal passed on as it is; a lost connection as SUBGRAPH_UNAVAILABLE. */
function refusal(err: unknown, subgraph: string, log: Logger): GraphQLError[] {
  if (Array.isArray(err)) return maskedErrors(err as GraphQLFormattedError[]);
  log.warn({ err: err instanceof Error ? err : String((err as { code?: unknown })?.code ?? err), subgraph }, 'subscription: the owning subgraph failed');
  return [new GraphQLError('The service behind this subscription is unavailable; subscribe again', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })];
}
