// What the emulator's tests share: a webhook endpoint that verifies signatures as the payment
// subgraph does, a real stripe SDK client pointed at the emulator, and session parameters.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../src/server.js';

export const SECRET = 'whsec_test_emulator_secret';
export const silent = { info() {}, warn() {} };

/** Tiny webhook endpoint: verifies signatures like the payment subgraph does and records events. */
export interface Receiver {
  url: string;
  port: number;
  events: Stripe.Event[];
  attempts: number;
  /** Statuses to answer with before accepting (e.g. [500, 500]). */
  failWith: number[];
  server: Server;
  close(): Promise<void>;
}

export async function startReceiver(port = 0, secret = SECRET): Promise<Receiver> {
  const receiver = { events: [] as Stripe.Event[], attempts: 0, failWith: [] as number[] } as Receiver;
  const verifier = new Stripe('sk_test_receiver');
  receiver.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.attempts += 1;
      const forced = receiver.failWith.shift();
      if (forced !== undefined) return void res.writeHead(forced).end();
      try {
        const event = verifier.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature']), secret);
        assert.match(String(req.headers['content-type']), /^application\/json/);
        receiver.events.push(event);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch {
        res.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(port, '127.0.0.1', resolve));
  receiver.port = (receiver.server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/stripe/webhook`;
  receiver.close = () =>
    new Promise((resolve) => {
      receiver.server.close(() => resolve());
      receiver.server.closeAllConnections();
    });
  return receiver;
}

export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function eventFor(receiver: Receiver, type: string, sessionId: string) {
  return () => receiver.events.find((e) => e.type === type && (e.data.object as { id: string }).id === sessionId);
}

export function client(emulator: StripeEmulator, key = 'sk_test_emulator_tests'): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 2 });
}

export const params = (overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [
    { price_data: { currency: 'USD', unit_amount: 1999, product_data: { name: 'Widget', description: 'A <blue> widget' } }, quantity: 2 },
    { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Gift wrap' } }, quantity: 1 },
  ],
  metadata: { orderId: 'order-1' },
  client_reference_id: 'order-1',
  success_url: 'http://localhost:3000/orders/order-1?session={CHECKOUT_SESSION_ID}',
  cancel_url: 'http://localhost:3000/cart',
  expires_at: Math.floor(Date.now() / 1000) + 3600,
  ...overrides,
});

export const isStripeError = (type: string, statusCode: number, code?: string) => (err: unknown) => {
  const e = err as { type?: string; statusCode?: number; code?: string };
  assert.equal(e.type, type);
  assert.equal(e.statusCode, statusCode);
  if (code) assert.equal(e.code, code);
  return true;
};

export interface Harness {
  receiver: Receiver;
  emulator: StripeEmulator;
  stripe: Stripe;
  close(): Promise<void>;
}

/** An emulator delivering to a fresh receiver, with an SDK client; `close` stops both. */
export async function startHarness(options: Partial<StripeEmulatorOptions> = {}, maxNetworkRetries = 2): Promise<Harness> {
  const receiver = await startReceiver();
  const emulator = await startStripeEmulator({ port: 0, webhookUrl: receiver.url, webhookSecret: SECRET, log: silent, ...options });
  const stripe = new Stripe('sk_test_emulator_tests', { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries });
  return {
    receiver,
    emulator,
    stripe,
    async close() {
      await emulator.stop();
      await receiver.close();
    },
  };
}

/** The events of `type` about the object `id`, in delivery order. */
export function eventsAbout(receiver: Receiver, id: string, type?: string): Stripe.Event[] {
  return receiver.events.filter((e) => (e.data.object as { id: string }).id === id && (type === undefined || e.type === type));
}

/** A raw API call (no SDK retries), for checking headers and replays exactly. */
export async function rawPost(emulator: StripeEmulator, path: string, form: Record<string, string>, idempotencyKey?: string): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk_test_emulator_tests',
      'content-type': 'application/x-www-form-urlencoded',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: new URLSearchParams(form),
  });
}

/** A session of `amount` minor units of `currency` as form fields (for rawPost). */
export function sessionForm(amount = 1000, currency = 'usd'): Record<string, string> {
  return {
    mode: 'payment',
    'line_items[0][price_data][currency]': currency,
    'line_items[0][price_data][unit_amount]': String(amount),
    'line_items[0][price_data][product_data][name]': 'Widget',
    'line_items[0][quantity]': '1',
  };
}

/** A paid session's payment intent. */
export async function paidSession(
  h: Harness,
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Promise<{ sessionId: string; paymentIntent: string }> {
  const session = await h.stripe.checkout.sessions.create(params(overrides));
  await h.emulator.pay(session.id);
  const paid = await h.stripe.checkout.sessions.retrieve(session.id);
  return { sessionId: session.id, paymentIntent: String(paid.payment_intent) };
}
