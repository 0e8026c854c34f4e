/**
 * One /v1 request end to end: authenticate, parse, replay a saved idempotent response or
 * execute, save what an execution answered (Stripe saves it once the endpoint began executing,
 * 500s included), and answer with Stripe's headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { routeApi, type ApiContext } from './api.js';
import { StripeApiError } from './errors.js';
import type { Faults } from './faults.js';
import { canonical, parseForm } from './form.js';
import { authenticate, sendJson } from './http.js';
import type { IdempotencyStore } from './idempotency.js';
import { newId } from './ids.js';
import type { Log } from './webhooks.js';

export interface ApiDeps extends Omit<ApiContext, 'request' | 'log'> {
  idempotency: IdempotencyStore;
  faults: Faults;
  log: Log;
}

interface Answer {
  status: number;
  json: string;
}

const asJson = (body: unknown) => JSON.stringify(body, null, 2);

/**
 * A 500 saved for a key would only be replayed, so Stripe tells clients not to retry it
 * (`Stripe-Should-Retry: false`, which the SDK obeys) instead of letting them back off in vain.
 */
const noRetryIfSaved500 = (status: number): Record<string, string> => (status >= 500 ? { 'stripe-should-retry': 'false' } : {});

/** Runs the endpoint; any answer from here on counts as executed. Refusals before executing are thrown. */
function execute(deps: ApiDeps, ctx: ApiContext, method: string, path: string, params: ReturnType<typeof parseForm>): Answer {
  try {
    const result = routeApi(ctx, method, path, params);
    const answer = { status: result.status, json: asJson(result.body) };
    if (deps.faults.take(method, path, 'after')) {
      const err = new StripeApiError(500, 'api_error', `Injected failure after executing (failNext ${method} ${path} 'after').`);
      return { status: 500, json: asJson(err.toJSON()) };
    }
    return answer;
  } catch (err) {
    if (err instanceof StripeApiError) {
      if (!err.saveIdempotent) throw err;
      return { status: err.status, json: asJson(err.toJSON()) };
    }
    // A crash mid-execution may have changed state, so like Stripe we save the 500 too.
    deps.log.warn({ err, method, path }, 'stripe emulator: internal error');
    return { status: 500, json: asJson(new StripeApiError(500, 'api_error', 'An unexpected error occurred in the Stripe emulator.').toJSON()) };
  }
}

export function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string, body: string): void {
  const requestId = newId('req', 14);
  const reply = (status: number, json: string, headers: Record<string, string> = {}) =>
    sendJson(res, status, json, { 'request-id': requestId, 'stripe-version': String(req.headers['stripe-version'] ?? Stripe.API_VERSION), ...headers });
  try {
    const apiKey = authenticate(req);
    const params = method === 'GET' ? parseForm(query) : parseForm(body);
    const key = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    const fingerprint = canonical(params);
    if (key !== undefined) {
      const saved = deps.idempotency.lookup(apiKey, key, method, path, fingerprint);
      if (saved) {
        const headers = { 'idempotent-replayed': 'true', 'original-request': saved.requestId, 'idempotency-key': key };
        return reply(saved.status, saved.body, { ...headers, ...noRetryIfSaved500(saved.status) });
      }
    }
    const ctx: ApiContext = { ...deps, request: { id: requestId, idempotency_key: key ?? null } };
    const { status, json } = execute(deps, ctx, method, path, params);
    if (key === undefined) return reply(status, json);
    deps.idempotency.save(apiKey, key, method, path, fingerprint, { status, body: json, requestId });
    reply(status, json, { 'idempotency-key': key, ...noRetryIfSaved500(status) });
  } catch (err) {
    // Refused before executing: authentication, parsing, parameter validation, idempotency misuse.
    const e = err instanceof StripeApiError ? err : new StripeApiError(500, 'api_error', 'An unexpected error occurred in the Stripe emulator.');
    if (!(err instanceof StripeApiError)) deps.log.warn({ err, method, path }, 'stripe emulator: internal error');
    reply(e.status, asJson(e.toJSON()), e.status === 401 ? { 'www-authenticate': 'Basic realm="Stripe"' } : {});
  }
}
