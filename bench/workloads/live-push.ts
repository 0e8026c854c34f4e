// Live push: 1,000 open orderStatusChanged subscriptions on the gateway; each order is paid with a
// signed webhook, and we time from the webhook's 200 to the subscriber's PAID push. Then 5,000
// idle subscriptions, and what each costs the gateway in resident memory.
import type { Client } from 'graphql-ws';
import type { Bench } from '../context.js';
import { closeAll, completedEvent, deliverWebhook, subscribeOrder, within, wsClient, type Customer } from '../client.js';
import { Inspector } from '../inspector.js';
import { rssBytes } from '../processes.js';
import type { CustomerOrders } from '../seed.js';
import { sessionsOf } from '../seed.js';
import { latency, mapLimit, noteError, round, sleep, type Latency } from '../stats.js';

/** The light pace, webhooks per second. */
const LIGHT_RATE = 10;

/** The gateway's limit per connection (MAX_SUBSCRIPTIONS_PER_CONNECTION). */
const PER_CONNECTION = 20;

export interface LivePushResult {
  available: true;
  subscriptions: number;
  connections: number;
  /** Webhooks per second we paced at (about the sustained checkout rate), and what that gave. */
  webhookRate: number;
  paid: number;
  pushMs: Latency;
  webhookMs: Latency;
  missedPushes: number;
  /** The target's ratio: push p99 ÷ the webhook's p50. */
  pushP99OverWebhookP50: number;
  /** The same at 10 webhooks/s. */
  light: Paced & { webhookRate: number; pushP99OverWebhookP50: number };
  errorSamples: Record<string, number>;
  idle: {
    /** V8 heap in use after a forced GC, before and after (steadier than RSS). */
    heapBeforeBytes: number | null;
    heapAfterBytes: number | null;
    heapBytesPerSubscription: number | null;
    subscriptions: number;
    connections: number;
    openedPerSecond: number;
    rssBeforeBytes: number | null;
    rssAfterBytes: number | null;
    bytesPerSubscription: number | null;
  };
}

export type LivePushOutcome = LivePushResult | { available: false; reason: string };

/** Can a customer subscribe to its order at all? Subscriptions may not be built yet. */
export async function probeSubscriptions(gateway: string, customer: Customer, orderId: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = wsClient(gateway, customer.token);
  try {
    const sub = subscribeOrder(client, orderId, () => undefined);
    await within(sub.opened, 10_000, 'the first push');
    sub.close();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.slice(0, 200) };
  } finally {
    await closeAll([client]);
  }
}

export async function livePushWorkload(
  b: Bench,
  seeded: CustomerOrders[],
  idleSeeded: CustomerOrders[],
  webhookRate: number,
  idleCount: number,
): Promise<LivePushResult> {
  const errors: Record<string, number> = {};
  const clients: Client[] = [];
  // Each customer follows its own orders, 20 to a connection (the gateway's limit).
  const orders = seeded.flatMap((s) => {
    const own = chunkClients(b, s.customer, s.orders.length, clients);
    return s.orders.map((o, k) => ({ ...o, client: own[Math.floor(k / PER_CONNECTION)]! }));
  });
  const sessions = await sessionsOf(
    b.db.payment,
    orders.map((o) => o.id),
  );
  const pushedAt = new Map<string, number>();
  try {
    b.log(`  live push: opening ${orders.length} subscriptions`);
    await mapLimit(orders, 100, async (o, i) => {
      const sub = subscribeOrder(o.client, o.id, (push, at) => {
        if ((push.status === 'PAID' || push.status === 'FINISHED') && !pushedAt.has(o.id)) pushedAt.set(o.id, at);
      });
      await within(sub.opened, 30_000, `subscription ${i}`);
    });

    // Paced at about the checkout rate (push latency under the load the system sustains, not a
    // backlog), then lightly, at 10/s: the same path without the rest of the fan-out crowding it.
    const count = (rate: number) => Math.ceil(rate * (b.durationMs / 1000));
    const loadedOrders = orders.slice(0, Math.min(orders.length, count(webhookRate)));
    const lightOrders = orders.slice(loadedOrders.length, Math.min(orders.length, loadedOrders.length + count(LIGHT_RATE)));
    b.log(`  live push: paying ${loadedOrders.length} of them at ${webhookRate}/s`);
    const loaded = await payAt(b, loadedOrders, sessions, webhookRate, pushedAt, errors);
    await sleep(1000); // the loaded phase's fan-out (shipping, FINISHED) settles first
    b.log(`  live push: paying ${lightOrders.length} more at ${LIGHT_RATE}/s`);
    const light = await payAt(b, lightOrders, sessions, LIGHT_RATE, pushedAt, errors);
    const connections = clients.length;
    await closeAll(clients.splice(0));

    const idle = await idleSubscriptions(b, idleSeeded, idleCount, errors);
    return {
      available: true,
      subscriptions: orders.length,
      connections,
      webhookRate,
      ...loaded,
      pushP99OverWebhookP50: round(loaded.pushMs.p99 / loaded.webhookMs.p50, 1),
      light: { webhookRate: LIGHT_RATE, ...light, pushP99OverWebhookP50: round(light.pushMs.p99 / light.webhookMs.p50, 1) },
      errorSamples: errors,
      idle,
    };
  } finally {
    await closeAll(clients);
  }
}

interface Paced {
  paid: number;
  pushMs: Latency;
  webhookMs: Latency;
  missedPushes: number;
}

/** Pays the orders with signed webhooks at `rate` per second; push latency is PAID seen − the webhook's 200. */
async function payAt(
  b: Bench,
  orders: { id: string; amountDue: { amount: number; currency: string } }[],
  sessions: Map<string, string>,
  rate: number,
  pushedAt: Map<string, number>,
  errors: Record<string, number>,
): Promise<Paced> {
  const answeredAt = new Map<string, number>();
  const webhookMs: number[] = [];
  const start = performance.now();
  await mapLimit(orders, 32, async (o, i) => {
    const due = start + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    const sessionId = sessions.get(o.id);
    try {
      if (!sessionId) throw new Error(`no Checkout Session for ${o.id}`);
      const t0 = performance.now();
      await deliverWebhook(b.stack.url.payment, completedEvent(sessionId, o.amountDue.amount, o.amountDue.currency, b.stack.webhookSecret));
      const t1 = performance.now();
      webhookMs.push(t1 - t0);
      answeredAt.set(o.id, t1);
    } catch (err) {
      noteError(errors, err);
    }
  });
  // Every push should arrive within a few seconds of the last webhook; bounded either way.
  for (let i = 0; i < 150 && [...answeredAt.keys()].some((id) => !pushedAt.has(id)); i++) await sleep(100);
  const pushMs = [...answeredAt].filter(([id]) => pushedAt.has(id)).map(([id, t]) => pushedAt.get(id)! - t);
  return {
    paid: answeredAt.size,
    pushMs: latency(pushMs),
    webhookMs: latency(webhookMs),
    missedPushes: [...answeredAt.keys()].filter((id) => !pushedAt.has(id)).length,
  };
}

/** ceil(subscriptions / 20) connections for one customer, registered for disposal. */
function chunkClients(b: Bench, customer: Customer, subscriptions: number, all: Client[]): Client[] {
  const out = Array.from({ length: Math.ceil(subscriptions / PER_CONNECTION) }, () => wsClient(b.stack.url.gateway, customer.token));
  all.push(...out);
  return out;
}

/** `count` subscriptions that stay open (orders waiting for payment), and the gateway's memory before and after. */
async function idleSubscriptions(b: Bench, seeded: CustomerOrders[], count: number, errors: Record<string, number>): Promise<LivePushResult['idle']> {
  const pid = b.stack.child.gateway.pid;
  const port = b.stack.inspectPort.gateway;
  const inspector = port ? await Inspector.connect(port).catch(() => null) : null;
  // Collected garbage first: otherwise the difference measures when V8 last happened to collect.
  const heapUsed = () => (inspector ? inspector.heapUsedAfterGc().catch(() => null) : Promise.resolve(null));
  await sleep(2000); // let the closed subscriptions' sockets go first
  const heapBeforeBytes = await heapUsed();
  const rssBeforeBytes = rssBytes(pid);
  const clients: Client[] = [];
  // Each customer subscribes to its own orders round-robin, 20 per connection, until `count`.
  const plan: { client: Client; orderId: string }[] = [];
  for (let n = 0; plan.length < count; n++) {
    const s = seeded[n % seeded.length]!;
    const client = wsClient(b.stack.url.gateway, s.customer.token);
    clients.push(client);
    for (let k = 0; k < PER_CONNECTION && plan.length < count; k++) plan.push({ client, orderId: s.orders[k % s.orders.length]!.id });
  }
  try {
    b.log(`  live push: ${count} idle subscriptions over ${clients.length} connections`);
    const t0 = performance.now();
    let opened = 0;
    await mapLimit(plan, 100, async (p) => {
      try {
        await within(subscribeOrder(p.client, p.orderId, () => undefined).opened, 30_000, 'an idle subscription');
        opened++;
      } catch (err) {
        noteError(errors, err);
      }
    });
    const openedPerSecond = round(opened / ((performance.now() - t0) / 1000), 1);
    await sleep(3000);
    const heapAfterBytes = await heapUsed();
    const rssAfterBytes = rssBytes(pid);
    const per = (before: number | null, after: number | null) => (before !== null && after !== null && opened ? Math.round((after - before) / opened) : null);
    return {
      subscriptions: opened,
      connections: clients.length,
      openedPerSecond,
      heapBeforeBytes,
      heapAfterBytes,
      heapBytesPerSubscription: per(heapBeforeBytes, heapAfterBytes),
      rssBeforeBytes,
      rssAfterBytes,
      bytesPerSubscription: per(rssBeforeBytes, rssAfterBytes),
    };
  } finally {
    await closeAll(clients);
    inspector?.close();
  }
}
