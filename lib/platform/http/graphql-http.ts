// GraphQL over HTTP on Node's own server, the way Apollo's standalone server does it: the JSON body
// parser, then executeHTTPGraphQLRequest, then res.end. Express around /graphql (routing, content
// negotiation, an ETag hash of every response) cost about a tenth of a subgraph's CPU per request
// in the read benchmark's profile; the other routes (health, metrics, webhooks) keep Express.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import express from 'express';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { buildExecutionContext } from 'graphql/execution/execute.js';
import type { Logger } from '../observability/logger.js';
import { traceRequests } from '../observability/telemetry.js';

export interface GraphqlOverHttpOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  context: (req: IncomingMessage) => Promise<C>;
  /** Everything that is not /graphql. */
  rest: RequestListener;
  /** Takes a /graphql request that asks for a stream (a subscription over SSE or multipart), or returns false. */
  streams?: (req: IncomingMessage, res: ServerResponse) => boolean;
  service: string;
  log: Logger;
}

/** The server's request listener: /graphql straight to Apollo, any other path to `rest`. */
export function graphqlOverHttp<C extends BaseContext>(o: GraphqlOverHttpOptions<C>): RequestListener {
  const json = express.json({ limit: '1mb' });
  const trace = traceRequests(o.service);
  const graphql = (req: IncomingMessage, res: ServerResponse) =>
    json(req as express.Request, res as express.Response, (err?: unknown) => {
      if (err) return sendError(res, err as HttpError, o.log);
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const query = req.url!.indexOf('?');
      o.apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: req.method!.toUpperCase(),
            headers,
            search: query < 0 ? '' : req.url!.slice(query),
            body: (req as { body?: unknown }).body,
          },
          context: () => o.context(req),
        })
        .then(async (response) => {
          for (const [key, value] of response.headers) res.setHeader(key, value);
          res.statusCode = response.status ?? 200;
          if (response.body.kind === 'complete') return void res.end(response.body.string);
          for await (const chunk of response.body.asyncIterator) res.write(chunk);
          res.end();
        })
        .catch((e: HttpError) => sendError(res, e, o.log));
    });
  return (req, res) => {
    // The paths Express matched for app.use('/graphql'): any case, with or without a final slash.
    const path = (req.url ?? '/').split('?')[0]!.toLowerCase();
    if (path === '/graphql' || path === '/graphql/') trace(req, res, () => o.streams?.(req, res) || graphql(req, res));
    else o.rest(req, res);
  };
}

export type HttpError = Error & { status?: number; type?: string };

/** A client error (bad JSON, too large) as a GraphQL-shaped JSON body; anything else is a logged 500. */
export function errorResponse(err: HttpError, log: Logger): { status: number; body: unknown } {
  const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) log.error({ err }, 'request failed');
  const message =
    status === 500
      ? 'Internal server error'
      : err.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : err.type === 'entity.too.large'
          ? 'The request body is larger than 1mb'
          : 'Bad request';
  return { status, body: { errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] } };
}

function sendError(res: ServerResponse, err: HttpError, log: Logger) {
  const { status, body } = errorResponse(err, log);
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * Client mistakes Apollo only notices once it executes, refused before anything runs, with the
 * code and status Apollo Server gives them on its own: no operation to run (two without
 * operationName, an unknown operationName) is a 400 OPERATION_RESOLUTION_FAILURE with graphql-js's
 * message, where the gateway's executor would throw it as an internal error; a subscription over
 * HTTP is a 400 BAD_REQUEST (the gateway serves them over graphql-ws, a subgraph not at all),
 * where the gateway would fail and a subgraph would run the field as a query.
 */
export function clientMistakesPlugin(): ApolloServerPlugin {
  const refuse = (code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status: 400, headers: new HeaderMap() } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          if (!operation) {
            const built = buildExecutionContext({ schema, document, operationName: request.operationName });
            throw refuse('OPERATION_RESOLUTION_FAILURE', Array.isArray(built) ? built[0]!.message : 'Must provide an operation.');
          }
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw refuse(
              'BAD_REQUEST',
              'Subscriptions are served over graphql-ws, graphql-sse (Accept: text/event-stream) or multipart HTTP (Accept: multipart/mixed;subscriptionSpec=1.0), not as a plain POST',
            );
          }
        },
      };
    },
  };
}
