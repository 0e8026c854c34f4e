// Subscriptions over every transport a client or a gateway may speak, on the service's own /graphql:
// graphql-ws (WebSocket), graphql-sse (text/event-stream) and Apollo's multipart HTTP
// (`multipart/mixed; subscriptionSpec="1.0"`). The protocols are the libraries'; what is ours is
// one `open` per service (run the subscription, or forward it) and the same limits on each.
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { userError } from '../../contracts/errors.js';
import { formatError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { exceededLimit, queryParseOptions, tokenLimitExceeded, type QueryLimits } from './query-limits.js';

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface SubscriptionRequest {
  payload: SubscribePayload;
  /** From graphql-ws's connection_init payload, else the request's Authorization header. */
  authorization?: string;
  headers: IncomingHttpHeaders;
}

/** A subscription under way, or the errors that refuse it before anything is pushed. */
export type Opened = { document: DocumentNode; stream: AsyncIterable<ExecutionResult> } | GraphQLError[];
export type OpenSubscription = (request: SubscriptionRequest) => Promise<Opened>;

export interface SubscriptionLimits {
  /** Per WebSocket connection; per client address for SSE and multipart streams. */
  maxPerClient: number;
  /** A larger WebSocket message closes the socket (1009); a larger HTTP body is a 413. */
  maxMessageBytes: number;
  connectionInitWaitMs: number;
  keepAliveMs: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = {
  maxPerClient: 20,
  maxMessageBytes: 64 * 1024,
  connectionInitWaitMs: 10_000,
  keepAliveMs: 12_000,
};

export interface SubscriptionTransportOptions {
  server: Server;
  open: OpenSubscription;
  production: boolean;
  log: Logger;
  limits?: Partial<SubscriptionLimits>;
  /** Who a stream belongs to for maxPerClient (the client's address at the gateway). */
  clientKey?: (req: IncomingMessage) => string;
}

export interface SubscriptionTransports {
  /** Takes a /graphql request that asks for a stream (SSE, multipart); false leaves it to Apollo. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Subscriptions open right now, over every transport. */
  count(): number;
  stop(): Promise<void>;
}

const tooMany = (max: number) => [userError('BAD_USER_INPUT', `At most ${max} subscriptions per connection: complete one first`)];
const wantsSse = (req: IncomingMessage) =>
  !!req.headers.accept?.includes('text/event-stream') || !!req.headers['x-graphql-event-stream-token'] || req.method === 'PUT';
const wantsMultipart = (req: IncomingMessage) => req.method === 'POST' && !!req.headers.accept?.includes('subscriptionSpec');

export function serveSubscriptions(o: SubscriptionTransportOptions): SubscriptionTransports {
  const limits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...o.limits };
  let open = 0;
  const perClient = new Map<string, number>();
  const counted = async function* (stream: AsyncIterable<ExecutionResult>, release?: () => void) {
    open++;
    try {
      yield* stream;
    } finally {
      open--;
      release?.();
    }
  };
  /** An HTTP stream for this client, or the errors refusing it. */
  const openForHttp = async (req: IncomingMessage, payload: SubscribePayload): Promise<Opened> => {
    const client = o.clientKey?.(req) ?? req.socket.remoteAddress ?? '';
    if ((perClient.get(client) ?? 0) >= limits.maxPerClient) return tooMany(limits.maxPerClient);
    // The slot is taken before opening, so concurrent requests can't all slip under the limit.
    perClient.set(client, (perClient.get(client) ?? 0) + 1);
    const release = () => perClient.set(client, perClient.get(client)! - 1) || perClient.delete(client);
    const opened = await o.open({ payload, authorization: req.headers.authorization, headers: req.headers }).catch((err: unknown) => {
      release();
      throw err;
    });
    if (Array.isArray(opened)) return (release(), opened);
    return { document: opened.document, stream: counted(opened.stream, release) };
  };

  const wss = new WebSocketServer({ server: o.server, path: '/graphql', maxPayload: limits.maxMessageBytes });
  const graphqlWs = useServer<{ authorization?: unknown; Authorization?: unknown }>(
    {
      isProd: o.production,
      connectionInitWaitTimeout: limits.connectionInitWaitMs,
      onSubscribe: async (ctx, _id, payload) => {
        // ctx.subscriptions already holds this one, so more than the limit means it is one too many.
        if (Object.keys(ctx.subscriptions).length > limits.maxPerClient) return tooMany(limits.maxPerClient);
        const params = ctx.connectionParams ?? {};
        const fromParams = [params.authorization, params.Authorization].find((a): a is string => typeof a === 'string');
        const headers = ctx.extra.request.headers;
        const opened = await o.open({ payload, authorization: fromParams ?? headers.authorization, headers });
        if (Array.isArray(opened)) return opened;
        return { schema: undefined as never, document: opened.document, rootValue: counted(opened.stream), contextValue: {} };
      },
      // Only reached with what onSubscribe returned: the stream is the root value.
      subscribe: (args) => args.rootValue as AsyncGenerator<ExecutionResult>,
      execute: (args) => args.rootValue as AsyncGenerator<ExecutionResult>,
    },
    wss,
    limits.keepAliveMs,
  );

  const sse = createHandler({
    onSubscribe: async (req, params) => {
      const opened = await openForHttp(req.raw, params as SubscribePayload);
      return Array.isArray(opened) ? { data: null, errors: opened } : opened.stream;
    },
  });
  const streams = new Set<ServerResponse>();

  return {
    handle(req, res) {
      const sseRequest = wantsSse(req);
      if (!sseRequest && !wantsMultipart(req)) return false;
      if (Number(req.headers['content-length'] ?? 0) > limits.maxMessageBytes || (req.url?.length ?? 0) > limits.maxMessageBytes) {
        res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ errors: [{ message: `The request is larger than ${limits.maxMessageBytes} bytes`, extensions: { code: 'BAD_REQUEST' } }] }));
        return true;
      }
      streams.add(res);
      res.once('close', () => streams.delete(res));
      const failed = (err: unknown) => {
        o.log.error({ err }, 'subscription stream failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      };
      if (sseRequest) sse(req, res).catch(failed);
      else multipart(req, res, openForHttp, limits.keepAliveMs).catch(failed);
      return true;
    },
    count: () => open,
    async stop() {
      await graphqlWs.dispose();
      for (const res of streams) res.destroy();
    },
  };
}

const BOUNDARY = 'graphql';

/** Apollo's multipart subscription protocol: one JSON part per result, `{}` as the heartbeat. */
async function multipart(
  req: IncomingMessage,
  res: ServerResponse,
  openForHttp: (req: IncomingMessage, p: SubscribePayload) => Promise<Opened>,
  heartbeatMs: number,
) {
  let body = '';
  for await (const chunk of req) body += chunk;
  let payload: SubscribePayload;
  try {
    payload = JSON.parse(body) as SubscribePayload;
    if (typeof payload?.query !== 'string') throw new Error('no query');
  } catch {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    return void res.end(JSON.stringify({ errors: [{ message: 'The body must be a JSON object with a query', extensions: { code: 'BAD_REQUEST' } }] }));
  }
  const opened = await openForHttp(req, payload);
  res.writeHead(200, { 'content-type': `multipart/mixed; boundary="${BOUNDARY}"; subscriptionSpec="1.0"`, 'cache-control': 'no-store' });
  const part = (json: unknown) => res.write(`\r\n--${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(json)}`);
  if (Array.isArray(opened)) {
    part({ payload: { errors: opened } });
    return void res.end(`\r\n--${BOUNDARY}--\r\n`);
  }
  const iterator = opened.stream[Symbol.asyncIterator]();
  const heartbeat = setInterval(() => part({}), heartbeatMs);
  res.once('close', () => void iterator.return?.());
  try {
    for (let next = await iterator.next(); !next.done && !res.destroyed; next = await iterator.next()) part({ payload: next.value });
  } finally {
    clearInterval(heartbeat);
    if (!res.destroyed) res.end(`\r\n--${BOUNDARY}--\r\n`);
  }
}

export interface CheckedSubscription {
  document: DocumentNode;
  operationName?: string;
  variables: Record<string, unknown>;
}

/** A document that parsed and validated, with the operation to run. */
interface ValidDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/**
 * Valid documents by schema, limits and text: a gateway sends the same few documents over and over,
 * and parsing and validating each subscribe was 5 % of the order subgraph's CPU under checkout load.
 * (Apollo Server keeps such a cache for queries; graphql-ws has none.) The cost limit depends on the
 * variables, so it is checked on every subscribe.
 */
const validDocuments = new WeakMap<GraphQLSchema, WeakMap<QueryLimits, LRUCache<string, ValidDocument>>>();

function cacheFor(schema: GraphQLSchema, limits: QueryLimits): LRUCache<string, ValidDocument> {
  let bySchema = validDocuments.get(schema);
  if (!bySchema) validDocuments.set(schema, (bySchema = new WeakMap()));
  let cache = bySchema.get(limits);
  if (!cache) bySchema.set(limits, (cache = new LRUCache({ max: 1000 })));
  return cache;
}

/** Parses and validates a subscription document under the query limits, or the errors to answer with. */
export function checkSubscription(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  limits: QueryLimits,
  hideSuggestions: boolean,
): CheckedSubscription | GraphQLError[] {
  const cache = cacheFor(schema, limits);
  const key = `${payload.operationName ?? ''}\n${payload.query}`;
  let valid = cache.get(key);
  if (!valid) {
    const checked = parsedAndValid(schema, payload, limits, hideSuggestions);
    if (Array.isArray(checked)) return checked;
    cache.set(key, (valid = checked));
  }
  const { document, operation } = valid;
  const variables = payload.variables ?? {};
  const overLimit = exceededLimit(schema, document, operation, variables, limits);
  if (overLimit) return [queryError('QUERY_TOO_COMPLEX', overLimit)];
  return { document, operationName: operation.name?.value, variables };
}

const queryError = (code: string, message: string, from?: GraphQLError) =>
  new GraphQLError(message, { nodes: from?.nodes, source: from?.source, positions: from?.positions, extensions: { code } });

function parsedAndValid(schema: GraphQLSchema, payload: SubscribePayload, limits: QueryLimits, hideSuggestions: boolean): ValidDocument | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query, queryParseOptions(limits));
  } catch (err) {
    const overLimit = tokenLimitExceeded(payload.query, limits);
    if (overLimit) return [queryError('QUERY_TOO_COMPLEX', overLimit)];
    return [queryError('GRAPHQL_PARSE_FAILED', (err as Error).message, err instanceof GraphQLError ? err : undefined)];
  }
  const invalid = validate(schema, document, undefined, { hideSuggestions });
  if (invalid.length) return invalid.map((e) => queryError('GRAPHQL_VALIDATION_FAILED', e.message, e));
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return [queryError('BAD_USER_INPUT', 'Name the operation to run with operationName')];
  if (operation.operation !== 'subscription') return [queryError('BAD_USER_INPUT', 'Only subscriptions go here; send queries and mutations to POST /graphql')];
  return { document, operation };
}

/** Masked like any response (an internal error says only that), as the GraphQLError instances graphql-ws wants. */
export function maskedErrors(errors: readonly (GraphQLError | GraphQLFormattedError)[]): GraphQLError[] {
  return errors.map((e) => {
    const formatted = formatError(e instanceof GraphQLError ? e.toJSON() : e, e);
    return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
  });
}
