/**
 * A local stand-in for the Stripe API (Checkout Sessions, Refunds, signed webhooks and a
 * hosted payment page) for development and tests, since api.stripe.com is unreachable
 * here. Point the real SDK at it:
 *   new Stripe('sk_test_…', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 2 })
 * State is in memory and lost on restart.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { routeApi } from './api.js';
import { StripeApiError } from './errors.js';
import { canonical, parseForm } from './form.js';
import { authenticate, readBody, sendJson } from './http.js';
import { IdempotencyStore } from './idempotency.js';
import { newId } from './ids.js';
import { handlePage, isPagePath } from './pages.js';
import { SessionStore } from './sessions.js';
import { WebhookSender, type Log } from './webhooks.js';

export interface StripeEmulatorOptions {
  /** 0 = ephemeral */
  port: number;
  /** default '127.0.0.1' */
  host?: string;
  webhookUrl: string;
  webhookSecret: string;
  /** Base URL used in session.url; default http://localhost:<port> */
  publicUrl?: string;
  log?: Log;
}

export interface StripeEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Fault injection for tests: the next `count` requests whose method+path match answer 500; a later call for the same method+path replaces it (0 clears). */
  failNext(method: string, pathPrefix: string, count: number): void;
  /** For tests: all sessions created so far. */
  sessions(): Stripe.Checkout.Session[];
  /** Pay a session as the hosted page's form would (card 4242…): marks it complete/paid, creates a payment intent id, sends checkout.session.completed. */
  pay(sessionId: string): Promise<void>;
  /** Expire now (as if expires_at passed): sends checkout.session.expired. */
  expire(sessionId: string): Promise<void>;
}

interface Fault {
  method: string;
  pathPrefix: string;
  remaining: number;
}

const quietLog: Log = { info() {}, warn: (...a: unknown[]) => console.warn(...a) };

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const log = options.log ?? quietLog;
  const webhooks = new WebhookSender({ url: options.webhookUrl, secret: options.webhookSecret, log });
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const store = new SessionStore(
    () => publicUrl,
    (type, session) => webhooks.send(type, session),
  );
  const idempotency = new IdempotencyStore();
  const faults: Fault[] = [];

  function takeFault(method: string, path: string): boolean {
    const fault = faults.find((f) => f.method === method && path.startsWith(f.pathPrefix) && f.remaining > 0);
    if (!fault) return false;
    fault.remaining -= 1;
    return true;
  }

  function handleApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string, body: string): void {
    const requestId = newId('req', 14);
    const reply = (status: number, json: string, headers: Record<string, string> = {}) =>
      sendJson(res, status, json, { 'request-id': requestId, 'stripe-version': String(req.headers['stripe-version'] ?? Stripe.API_VERSION), ...headers });
    const fail = (err: StripeApiError) =>
      reply(err.status, JSON.stringify(err.toJSON(), null, 2), err.status === 401 ? { 'www-authenticate': 'Basic realm="Stripe"' } : {});
    try {
      const apiKey = authenticate(req);
      const params = method === 'GET' ? parseForm(query) : parseForm(body);
      const key = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
      const fingerprint = canonical(params);
      if (key !== undefined) {
        const saved = idempotency.lookup(apiKey, key, method, path, fingerprint);
        if (saved) {
          reply(saved.status, saved.body, { 'idempotent-replayed': 'true', 'original-request': saved.requestId });
          return;
        }
      }
      let status: number;
      let json: string;
      try {
        const result = routeApi(store, method, path, params, log);
        status = result.status;
        json = JSON.stringify(result.body, null, 2);
      } catch (err) {
        if (!(err instanceof StripeApiError) || !err.saveIdempotent) throw err;
        status = err.status;
        json = JSON.stringify(err.toJSON(), null, 2);
      }
      if (key !== undefined) idempotency.save(apiKey, key, method, path, fingerprint, { status, body: json, requestId });
      reply(status, json, key !== undefined ? { 'idempotency-key': key } : {});
    } catch (err) {
      if (err instanceof StripeApiError) return fail(err);
      log.warn({ err, method, path }, 'stripe emulator: internal error');
      fail(new StripeApiError(500, 'api_error', 'An unexpected error occurred in the Stripe emulator.'));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      const e = err instanceof StripeApiError ? err : new StripeApiError(400, 'invalid_request_error', 'Could not read the request body.');
      return sendJson(res, e.status, JSON.stringify(e.toJSON()), { connection: 'close' });
    }
    if (takeFault(method, path)) {
      const err = new StripeApiError(500, 'api_error', `Injected failure (failNext ${method} ${path}).`);
      return sendJson(res, 500, JSON.stringify(err.toJSON(), null, 2), { 'request-id': newId('req', 14) });
    }
    if (path === '/health' && method === 'GET') return sendJson(res, 200, '{"ok":true}');
    if (isPagePath(path)) return handlePage(store, method, path, body, res);
    handleApi(req, res, method, path, url.search.slice(1), body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.warn({ err }, 'stripe emulator: request failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (!publicUrl) publicUrl = `http://localhost:${port}`;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let stopped: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        store.stop();
        webhooks.stop();
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets (the SDK's agent) would hold close() open
      });
      return stopped;
    },
    failNext(method, pathPrefix, count) {
      // A new count for the same method and path replaces the old one, so 0 clears it.
      const m = method.toUpperCase();
      const same = faults.findIndex((f) => f.method === m && f.pathPrefix === pathPrefix);
      if (same >= 0) faults.splice(same, 1);
      if (count > 0) faults.push({ method: m, pathPrefix, remaining: count });
    },
    sessions: () => store.all(),
    async pay(sessionId) {
      store.pay(sessionId);
    },
    async expire(sessionId) {
      store.expire(sessionId);
    },
  };
}
