/**
 * Routing for the emulated /v1 endpoints. Each route first refuses parameters Stripe does not
 * know (before anything executes, so that refusal is never saved for idempotent replay), then
 * runs synchronously on parsed params so a request's effect and its idempotent result are
 * recorded atomically.
 */
import type Stripe from 'stripe';
import { StripeApiError } from './errors.js';
import type { FormObject } from './form.js';
import { assertKnownParams, assertNoRemovedSessionParams, KNOWN_PARAMS } from './known-params.js';
import { readExpand } from './params.js';
import type { Refunds } from './refunds.js';
import { listSessions } from './session-list.js';
import { SUPPORTED_SESSION_PARAMS as SUPPORTED } from './session-params.js';
import type { SessionRecord, SessionStore } from './sessions.js';
import type { EventRequest } from './webhooks.js';

export interface ApiResult {
  status: number;
  body: unknown;
}

export interface ApiContext {
  sessions: SessionStore;
  refunds: Refunds;
  log: { info(...a: unknown[]): void };
  /** The request being answered, for the events it causes. */
  request: EventRequest;
}

const SESSION = /^\/v1\/checkout\/sessions\/([^/]+)$/;
const SESSION_EXPIRE = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/;
const SESSION_LINE_ITEMS = /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/;
const REFUND = /^\/v1\/refunds\/([^/]+)$/;

function lineItemList(record: SessionRecord): Stripe.ApiList<Stripe.LineItem> {
  return {
    object: 'list',
    data: record.lineItems,
    has_more: false,
    url: `/v1/checkout/sessions/${record.session.id}/line_items`,
  };
}

/** Applies `expand[]=line_items`, the only expansion that makes sense without other resources. */
function render(record: SessionRecord, params: FormObject): Stripe.Checkout.Session {
  const session = structuredClone(record.session);
  if (readExpand(params).includes('line_items')) session.line_items = lineItemList(record);
  return session;
}

const ok = (body: unknown): ApiResult => ({ status: 200, body });
const idOf = (m: RegExpExecArray) => decodeURIComponent(m[1]!);

export function routeApi(ctx: ApiContext, method: string, path: string, params: FormObject): ApiResult {
  const { sessions, refunds } = ctx;
  let m: RegExpExecArray | null;
  if (method === 'POST' && path === '/v1/checkout/sessions') {
    assertNoRemovedSessionParams(params);
    assertKnownParams(params, KNOWN_PARAMS.sessionCreate);
    const ignored = Object.keys(params).filter((k) => !SUPPORTED.has(k));
    if (ignored.length) ctx.log.info({ ignored }, 'stripe emulator: ignoring unsupported checkout session params');
    const session = sessions.create(params);
    return ok(render(sessions.require(session.id), params));
  }
  if (method === 'GET' && path === '/v1/checkout/sessions') {
    assertKnownParams(params, KNOWN_PARAMS.sessionList);
    return ok(listSessions(sessions, params));
  }
  if (method === 'GET' && (m = SESSION.exec(path))) {
    assertKnownParams(params, KNOWN_PARAMS.expandOnly);
    return ok(render(sessions.require(idOf(m)), params));
  }
  if (method === 'GET' && (m = SESSION_LINE_ITEMS.exec(path))) {
    assertKnownParams(params, KNOWN_PARAMS.lineItemList);
    return ok(lineItemList(sessions.require(idOf(m))));
  }
  if (method === 'POST' && (m = SESSION_EXPIRE.exec(path))) {
    assertKnownParams(params, KNOWN_PARAMS.expandOnly);
    sessions.expire(idOf(m), ctx.request);
    return ok(render(sessions.require(idOf(m)), params));
  }
  if (method === 'POST' && path === '/v1/refunds') {
    assertKnownParams(params, KNOWN_PARAMS.refundCreate);
    return ok(refunds.create(params, ctx.request));
  }
  if (method === 'GET' && path === '/v1/refunds') {
    assertKnownParams(params, KNOWN_PARAMS.refundList);
    return ok(refunds.list(params));
  }
  if (method === 'GET' && (m = REFUND.exec(path))) {
    assertKnownParams(params, KNOWN_PARAMS.expandOnly);
    return ok(refunds.retrieve(idOf(m)));
  }
  throw new StripeApiError(
    404,
    'invalid_request_error',
    `Unrecognized request URL (${method}: ${path}). The Stripe emulator implements only Checkout Sessions and Refunds.`,
  );
}
