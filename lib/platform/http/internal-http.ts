// The try step's internal HTTP calls between subgraphs: each one signed for its target, method,
// path and body (internal-call.ts) and verified on the way in, and errors
// carried as { error: { code, message, ...extensions } } so the caller can re-raise them as the
// same GraphQL error. The gateway never routes to these paths.
import type { Express, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { ServiceName } from '../config.js';
import { internalCallHeaders, isServiceCall } from './internal-call.js';
import type { Logger } from '../observability/logger.js';
import { traceHeaders } from '../observability/telemetry.js';

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_STOCK: 409,
  COUPON_INVALID: 422,
};

export function internalRoute(
  app: Express,
  method: 'post' | 'delete',
  path: string,
  deps: { service: ServiceName; serviceToken: string; log: Logger },
  handler: (req: Request) => Promise<unknown>,
) {
  app[method](path, async (req: Request, res: Response) => {
    if (!(await isServiceCall(req, deps.serviceToken, deps.service))) {
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'internal endpoint: a live call signed for it is required' } });
      return;
    }
    try {
      res.json(await handler(req));
    } catch (err) {
      if (err instanceof GraphQLError && typeof err.extensions.code === 'string') {
        res.status(STATUS[err.extensions.code] ?? 400).json({ error: { message: err.message, ...err.extensions } });
        return;
      }
      deps.log.error({ err, path }, 'internal call failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } });
    }
  });
}

export class InternalCallError extends Error {}

/** Calls subgraph `to`'s internal endpoint at `url`; its user errors come back as the same GraphQLError. */
export async function callInternal<T>(to: ServiceName, url: string, method: 'POST' | 'DELETE', serviceToken: string, body?: unknown): Promise<T> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  let res: globalThis.Response;
  try {
    res = await fetch(url, {
      method,
      headers: { ...(await internalCallHeaders(serviceToken, { audience: to, method, url, body: text })), ...traceHeaders() },
      body: text,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new InternalCallError(`${method} ${url} failed: ${(err as Error).message}`);
  }
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } & Record<string, unknown> };
  if (res.ok) return json as T;
  const { message, ...extensions } = json.error ?? { code: 'INTERNAL_SERVER_ERROR', message: `HTTP ${res.status}` };
  if (res.status >= 500 || extensions.code === 'UNAUTHENTICATED') throw new InternalCallError(`${method} ${url}: ${message}`);
  throw new GraphQLError(message, { extensions });
}
