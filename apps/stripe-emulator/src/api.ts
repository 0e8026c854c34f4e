/**
 * Routing for the emulated /v1 endpoints. Handlers are synchronous on parsed params so a
 * request's effect and its idempotent result are recorded atomically.
 */
import type Stripe from 'stripe';
import { StripeApiError } from './errors.js';
import type { FormObject } from './form.js';
import { readExpand } from './params.js';
import { createRefund } from './refunds.js';
import { SUPPORTED_SESSION_PARAMS as SUPPORTED } from './session-params.js';
import type { SessionRecord, SessionStore } from './sessions.js';

export interface ApiResult {
  status: number;
  body: unknown;
}

const SESSION = /^\/v1\/checkout\/sessions\/([^/]+)$/;
const SESSION_EXPIRE = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/;
const SESSION_LINE_ITEMS = /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/;

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

export function routeApi(store: SessionStore, method: string, path: string, params: FormObject, log: { info(...a: unknown[]): void }): ApiResult {
  let m: RegExpExecArray | null;
  if (method === 'POST' && path === '/v1/checkout/sessions') {
    const ignored = Object.keys(params).filter((k) => !SUPPORTED.has(k));
    if (ignored.length) log.info({ ignored }, 'stripe emulator: ignoring unsupported checkout session params');
    const session = store.create(params);
    return { status: 200, body: render(store.require(session.id), params) };
  }
  if (method === 'GET' && (m = SESSION.exec(path))) {
    return { status: 200, body: render(store.require(decodeURIComponent(m[1]!)), params) };
  }
  if (method === 'GET' && (m = SESSION_LINE_ITEMS.exec(path))) {
    return { status: 200, body: lineItemList(store.require(decodeURIComponent(m[1]!))) };
  }
  if (method === 'POST' && (m = SESSION_EXPIRE.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    store.expire(id);
    return { status: 200, body: render(store.require(id), params) };
  }
  if (method === 'POST' && path === '/v1/refunds') {
    return { status: 200, body: createRefund(store, params) };
  }
  throw new StripeApiError(
    404,
    'invalid_request_error',
    `Unrecognized request URL (${method}: ${path}). The Stripe emulator implements only Checkout Sessions and Refunds.`,
  );
}
