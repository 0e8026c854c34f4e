/**
 * A local stand-in for the Stripe API (Checkout Sessions, Refunds, signed webhooks and a
 * hosted payment page) for development and tests, since api.stripe.com is unreachable
 * here. Point the real SDK at it:
 *   new Stripe('sk_test_…', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 2 })
 * State is in memory, lost on restart, and pruned after a retention period.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { handleApi, type ApiDeps } from './api-handler.js';
import { BankDebits, type DebitOutcome } from './bank-debit.js';
import { StripeApiError } from './errors.js';
import { Faults, type FaultTiming } from './faults.js';
import { readBody, sendJson } from './http.js';
import { IDEMPOTENCY_RETENTION_MS, IdempotencyStore } from './idempotency.js';
import { newId } from './ids.js';
import { handlePage, isPagePath } from './pages.js';
import { Refunds, type RefundMode } from './refunds.js';
import { startPruning } from './retention.js';
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
  /** Accept `expires_at` under Stripe's 30-minute minimum (tests); default false. */
  allowShortExpiry?: boolean;
  /** How long complete and expired sessions (and their refunds) stay readable; default 24 h. */
  finishedSessionRetentionMs?: number;
  /** How long an Idempotency-Key's saved response is replayed; default 24 h, as Stripe. */
  idempotencyRetentionMs?: number;
}

/** Default retention of finished sessions: as long as Stripe keeps idempotency keys, long enough for any retry or late refund in development. */
export const FINISHED_SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StripeEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Fault injection: the next `count` requests whose method+path match answer 500, before executing (default) or after; see faults.ts. */
  failNext(method: string, pathPrefix: string, count: number, when?: FaultTiming): void;
  /** How the next refunds end: at once (default), or pending and after `delayMs` (default 1000) succeeded or failed. */
  refundMode(mode: RefundMode, delayMs?: number): void;
  /** For tests: all sessions not yet pruned. */
  sessions(): Stripe.Checkout.Session[];
  /** For tests: all refunds not yet pruned, oldest first. */
  refunds(): Stripe.Refund[];
  /** For tests: how many sessions, refunds and idempotency keys are held (pruning keeps these flat). */
  storeSizes(): { sessions: number; refunds: number; idempotencyKeys: number };
  /** Pay a session as the hosted page's card form would (card 4242…): complete/paid, a payment intent, checkout.session.completed. */
  pay(sessionId: string): Promise<void>;
  /** Pay by ACH debit as the hosted page would: complete/unpaid now, the async outcome after `delayMs`. */
  payByBankDebit(sessionId: string, options: { outcome: DebitOutcome; delayMs: number }): Promise<void>;
  /** Send a pending bank debit's outcome now instead of after its delay. */
  settleBankDebit(sessionId: string): Promise<void>;
  /** Expire now (as if expires_at passed): sends checkout.session.expired. */
  expire(sessionId: string): Promise<void>;
  /** Prune finished sessions and old idempotency keys now instead of on the next timer tick. */
  prune(): void;
}

const quietLog: Log = { info() {}, warn: (...a: unknown[]) => console.warn(...a) };

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const log = options.log ?? quietLog;
  const webhooks = new WebhookSender({ url: options.webhookUrl, secret: options.webhookSecret, log });
  const emit = webhooks.send.bind(webhooks);
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const finishedRetentionMs = options.finishedSessionRetentionMs ?? FINISHED_SESSION_RETENTION_MS;
  const idempotencyRetentionMs = options.idempotencyRetentionMs ?? IDEMPOTENCY_RETENTION_MS;
  const sessions = new SessionStore({ publicUrl: () => publicUrl, emit, rules: { allowShortExpiry: options.allowShortExpiry ?? false }, finishedRetentionMs });
  const deps: ApiDeps = {
    sessions,
    refunds: new Refunds(sessions, emit),
    idempotency: new IdempotencyStore(idempotencyRetentionMs),
    faults: new Faults(),
    log,
  };
  const debits = new BankDebits(sessions, emit);
  const prune = () => {
    sessions.prune();
    deps.idempotency.prune();
  };
  const stopPruning = startPruning(Math.min(finishedRetentionMs, idempotencyRetentionMs), prune);

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
    if (deps.faults.take(method, path, 'before')) {
      const err = new StripeApiError(500, 'api_error', `Injected failure (failNext ${method} ${path}).`);
      return sendJson(res, 500, JSON.stringify(err.toJSON(), null, 2), { 'request-id': newId('req', 14) });
    }
    if (path === '/health' && method === 'GET') return sendJson(res, 200, '{"ok":true}');
    if (isPagePath(path)) return handlePage({ sessions, debits }, method, path, body, res);
    handleApi(deps, req, res, method, path, url.search.slice(1), body);
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
        stopPruning();
        sessions.stop();
        deps.refunds.stop();
        debits.stop();
        webhooks.stop();
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets (the SDK's agent) would hold close() open
      });
      return stopped;
    },
    failNext: (method, pathPrefix, count, when) => deps.faults.failNext(method, pathPrefix, count, when),
    refundMode: (mode, delayMs) => deps.refunds.setMode(mode, delayMs),
    sessions: () => sessions.all(),
    refunds: () => deps.refunds.all(),
    storeSizes: () => ({ sessions: sessions.size, refunds: deps.refunds.size, idempotencyKeys: deps.idempotency.size }),
    async pay(sessionId) {
      sessions.pay(sessionId);
    },
    async payByBankDebit(sessionId, { outcome, delayMs }) {
      debits.start(sessionId, { outcome, delayMs });
    },
    async settleBankDebit(sessionId) {
      debits.settleNow(sessionId);
    },
    async expire(sessionId) {
      sessions.expire(sessionId);
    },
    prune,
  };
}
