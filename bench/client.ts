// What a client of the system does, done cheaply: GraphQL over HTTP, a signed Stripe webhook,
// graphql-ws subscriptions. Failures carry the operation and the response.
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import Stripe from 'stripe';
import WebSocket from 'ws';

export interface GqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string, timeoutMs = 30_000): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: GqlResponse<T>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (body.errors?.length || !body.data) {
    const e = body.errors?.[0];
    throw Object.assign(
      new Error(`${e?.extensions?.code ?? `HTTP ${res.status}`}: ${e?.message ?? text.slice(0, 300)} (in ${query.replace(/\s+/g, ' ').slice(0, 80)})`),
      { code: e?.extensions?.code },
    );
  }
  return body.data;
}

export interface Customer {
  id: string;
  token: string;
}

export async function signUp(gateway: string, name: string): Promise<Customer> {
  const email = `${name}-${randomBytes(5).toString('hex')}@bench.example.com`;
  const d = await gql<{ signUp: { token: string; customer: { id: string } } }>(
    gateway,
    `mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token customer { id } } }`,
    {
      e: email,
      p: 'bench-password',
      n: name,
    },
  );
  return { id: d.signUp.customer.id, token: d.signUp.token };
}

export const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status amountDue { amount currency } } }`;

export interface Placed {
  id: string;
  amountDue: { amount: number; currency: string };
}

export async function placeOrder(gateway: string, customer: Customer, items: { productId: string; quantity: number }[]): Promise<Placed> {
  const input = { items, idempotencyKey: `cart-${randomBytes(8).toString('hex')}` };
  return (await gql<{ placeOrder: Placed }>(gateway, PLACE_ORDER, { input }, customer.token)).placeOrder;
}

const signer = new Stripe('sk_test_bench_signing_only');
let eventCounter = 0;

/** A checkout.session.completed event for the session, signed as Stripe signs it. */
export function completedEvent(sessionId: string, amount: number, currency: string, secret: string): { payload: string; signature: string } {
  const payload = JSON.stringify({
    id: `evt_bench_${Date.now().toString(36)}_${eventCounter++}_${randomBytes(3).toString('hex')}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        payment_status: 'paid',
        status: 'complete',
        amount_total: amount,
        currency: currency.toLowerCase(),
        payment_intent: `pi_bench_${randomBytes(8).toString('hex')}`,
      },
    },
  });
  return { payload, signature: signer.webhooks.generateTestHeaderString({ payload, secret }) };
}

/** POSTs the webhook; resolves when its 200 arrived (throws otherwise). */
export async function deliverWebhook(paymentUrl: string, event: { payload: string; signature: string }): Promise<void> {
  const res = await fetch(`${paymentUrl}/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
    body: event.payload,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${text.slice(0, 200)}`);
  if (!text.includes('"applied"')) throw new Error(`webhook not applied: ${text.slice(0, 200)}`);
}

/** The hosted payment page's form, as a browser reads it: where it posts, and its prefilled fields (the test card). */
export interface PaymentForm {
  action: string;
  fields: [string, string][];
}

/** GET the hosted payment page (as lib/testkit/story.ts payAt does) and read its form. */
export async function openPaymentPage(pageUrl: string): Promise<PaymentForm> {
  const res = await fetch(pageUrl, { signal: AbortSignal.timeout(30_000) });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`payment page answered ${res.status}: ${html.slice(0, 200)}`);
  const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1];
  if (!action) throw new Error(`no payment form on ${pageUrl}`);
  const fields = [...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)].map((m) => [m[1]!, m[2]!] as [string, string]);
  return { action: new URL(action, pageUrl).href, fields };
}

/** The shopper clicks Pay: POST the form; resolves on the emulator's 200 (its webhook then goes out in the background). */
export async function submitPayment(form: PaymentForm): Promise<void> {
  const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields), redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`payment form answered ${res.status}: ${text.slice(0, 200)}`);
}

/** A graphql-ws connection to the gateway as one customer; no retries, so a failure shows. */
export function wsClient(gateway: string, token: string): Client {
  return createClient({
    url: `${gateway.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    // Idle subscriptions must stay open for as long as the workload measures them.
    lazyCloseTimeout: 0,
    keepAlive: 0,
  });
}

export const ORDER_STATUS_SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status payment { stripeCheckoutSessionId } } }`;
/** What a storefront follows during checkout: the status, and the hosted payment page to send the shopper to. */
export const CHECKOUT_SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status payment { stripeCheckoutSessionId checkoutUrl } } }`;

export interface StatusPush {
  status: string;
  payment: { stripeCheckoutSessionId: string | null; checkoutUrl?: string | null } | null;
}

/**
 * Subscribes to one order's status. onPush gets every push; the promise `opened` resolves at the
 * first push (the current state) and rejects on an error before it.
 */
export function subscribeOrder(
  client: Client,
  orderId: string,
  onPush: (p: StatusPush, at: number) => void,
  query = ORDER_STATUS_SUBSCRIPTION,
): { opened: Promise<void>; done: Promise<void>; close(): void } {
  let opened!: () => void;
  let failed!: (e: Error) => void;
  let finished!: () => void;
  let first = true;
  const openedP = new Promise<void>((res, rej) => ((opened = res), (failed = rej)));
  const doneP = new Promise<void>((res) => (finished = res));
  const close = client.subscribe<{ orderStatusChanged: StatusPush }>(
    { query, variables: { id: orderId } },
    {
      next: (msg) => {
        const at = performance.now();
        if (msg.errors?.length || !msg.data) {
          failed(new Error(`subscription error: ${JSON.stringify(msg.errors ?? msg)}`));
          return;
        }
        onPush(msg.data.orderStatusChanged, at);
        if (first) {
          first = false;
          opened();
        }
      },
      error: (err) => {
        const e = err instanceof Error ? err : new Error(describe(err));
        failed(e);
        finished();
      },
      complete: () => {
        failed(new Error('subscription completed before its first push'));
        finished();
      },
    },
  );
  openedP.catch(() => undefined); // a caller that stopped waiting must not crash the run
  return { opened: openedP, done: doneP, close };
}

function describe(err: unknown): string {
  if (Array.isArray(err)) return err.map((e) => e?.message ?? String(e)).join('; ');
  const ev = err as { code?: number; reason?: string; message?: string };
  if (ev && typeof ev === 'object' && 'code' in ev) return `socket closed ${ev.code} ${ev.reason ?? ''}`;
  return ev?.message ?? String(err);
}

/** Closes connections; a socket that already failed must not hide the error that brought us here. */
export async function closeAll(clients: Client[]): Promise<void> {
  await Promise.all(clients.map((c) => Promise.resolve(c.dispose()).catch(() => undefined)));
}

/** Resolves the value or rejects after ms, naming what it waited for. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}
