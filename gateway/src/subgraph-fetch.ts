// How the gateway calls its subgraphs: undici's request API on a keep-alive pool. Node's global
// fetch is undici too, but wrapped in WHATWG Request/Response/streams and an AbortSignal per call:
// in the checkout profile that wrapping was a large part of the gateway's CPU (node:internal
// ~40 %). Apollo only needs the few response members a Fetcher names, so we answer with those.
//
// Identical query fetches in flight at the same time are sent once (as Hive Gateway does): the
// same page asked by many clients at once (the catalogue, anyone's own account page loaded twice)
// otherwise costs every subgraph one request per client. On the 20-product page at 50 connections
// Hive Gateway sent the subgraph one request per ~30 client requests, we sent one each: most of its
// lead (issue 18). A caller may get an answer fetched up to one subgraph round trip before it
// asked, as if it had asked a moment earlier. "Identical" is the same URL, body and headers (the
// caller's Authorization included), so a fetch is only ever shared between callers the subgraph
// would answer alike. Left out of the key: the trace
// context, which differs on every call, and the client's address, which only sign-up and log-in
// (mutations) read, so that the catalogue is shared between clients too. Mutations are never
// shared. Each caller parses the shared body itself, so no two requests' results share objects
// (the gateway merges later fetches into them).
import { STATUS_CODES } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';
import { CLIENT_ADDRESS_HEADER } from '../../lib/platform/http/client-address.js';

/** A subgraph's answer, read once and handed to every caller that shared the fetch. */
interface Received {
  status: number;
  headers: Headers;
  text: string;
  /** The trace of the caller whose request was sent, for the others' spans. */
  traceparent?: string;
}

/** A gateway's fetcher over its own keep-alive pool (per subgraph: up to 128 connections, idle ones kept a minute). */
export function subgraphFetcher(): { fetch: Fetcher; close(): Promise<void> } {
  const pool = new Agent({ connections: 128, keepAliveTimeout: 60_000 });
  const inflight = new Map<string, Promise<Received>>();
  const fetch: Fetcher = async (url, init = {}) => {
    const key = sharingKey(url, init);
    if (key === null) return respond(url, await send(pool, url, init));
    const shared = inflight.get(key);
    if (shared) {
      const span = trace.getActiveSpan();
      const received = await shared;
      // This trace has no subgraph span of its own for the fetch: it names the trace that has it.
      span?.addEvent('subgraph fetch shared with a request in flight', { 'checkout.shared_traceparent': received.traceparent ?? '' });
      return respond(url, received);
    }
    const received = send(pool, url, init);
    inflight.set(key, received);
    const forget = () => inflight.delete(key);
    received.then(forget, forget);
    return respond(url, await received);
  };
  return { fetch, close: () => pool.close() };
}

// What Apollo's RemoteGraphQLDataSource sends: JSON.stringify({ query, variables, … }), the query
// printed by the planner (`{ … }`, `query … { … }`, `mutation …`).
const SHAREABLE = /^\{"query":"(?:query\b|\{)/;
const NOT_IN_KEY = new Set(['traceparent', 'tracestate', CLIENT_ADDRESS_HEADER]);

/** The key identical fetches share, or null for one that must be sent on its own (a mutation). */
function sharingKey(url: string, init: Parameters<Fetcher>[1] = {}): string | null {
  if (init.method !== 'POST' || typeof init.body !== 'string' || !SHAREABLE.test(init.body)) return null;
  let key = `${url}\n${init.body}`;
  for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
    if (!NOT_IN_KEY.has(name.toLowerCase())) key += `\n${name}:${value}`;
  }
  return key;
}

async function send(pool: Agent, url: string, init: Parameters<Fetcher>[1] = {}): Promise<Received> {
  const sent = init.headers as Record<string, string> | undefined;
  const res = await request(url, { method: (init.method ?? 'GET') as 'GET' | 'POST', headers: sent, body: init.body as string | undefined, dispatcher: pool });
  const text = await res.body.text();
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return { status: res.statusCode, headers, text, traceparent: sent?.traceparent };
}

function respond(url: string, { status, headers, text }: Received): FetcherResponse {
  const response: FetcherResponse = {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    url,
    redirected: false,
    bodyUsed: true,
    headers: headers as unknown as FetcherResponse['headers'],
    text: async () => text,
    json: async () => JSON.parse(text),
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    clone: () => response,
  };
  return response;
}
