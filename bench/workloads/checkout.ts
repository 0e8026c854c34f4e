// Checkout, shaped like a storefront's: N customers at once, each placeOrder → the checkout link
// pushed by its subscription → the emulator's hosted payment page, loaded and submitted as a
// browser would (the emulator then sends the signed webhook to payment, as Stripe does) → PAID
// pushed, over and over. Then the database ceiling for the same time with the same pool size,
// and the check that stock was conserved.
import type { Client } from 'graphql-ws';
import type { Bench } from '../context.js';
import { CHECKOUT_SUBSCRIPTION, closeAll, openPaymentPage, placeOrder, submitPayment, subscribeOrder, within, wsClient, type Customer } from '../client.js';
import { measureDbCeiling, type DbCeiling } from '../ceiling/db.js';
import { cpuMeter, perOperation, type CpuSplit } from '../cpu.js';
import { webhookDeliveries, type WebhookDeliveries } from '../emulator-log.js';
import { randomItems, type Product } from '../seed.js';
import { closedLoop, latency, round, sleep, type Latency } from '../stats.js';
import { globalStatus, rows } from '../sql.js';
import { SERVICES } from '../../lib/platform/config.js';
import { conservation, drained, stockOf, type Placement } from './checkout-stock.js';
import { pct } from './read.js';

export interface CheckoutResult {
  customers: number;
  /** How a customer learns of the session and of PAID: pushes, or (no subscriptions) polling. */
  waitMode: 'subscription' | 'polling';
  completed: number;
  outOfStock: number;
  errors: number;
  errorSamples: Record<string, number>;
  checkoutsPerSecond: number;
  placeOrderMs: Latency;
  /** The hosted payment page: GET (load) and the Pay click (form POST → the emulator's 200). */
  payPageMs: Latency;
  paySubmitMs: Latency;
  /** From the Pay click to the PAID push reaching the customer. */
  payClickToPaidMs: Latency;
  /** The emulator's webhook: queued → payment's 2xx, from the emulator's log. */
  webhook: WebhookDeliveries;
  wholePathMs: Latency;
  stock: { products: number; oversoldUnits: number; mismatchedUnits: number };
  /** CPU ms per completed checkout in each process (and `other`: the rest of the machine). */
  cpuMsPerCheckout: CpuSplit;
  /** Ours: the services + MariaDB + RabbitMQ (not the emulator, which stands in for Stripe, nor the load generator). */
  oursCpuMsPerCheckout: number;
  transactions: {
    perCheckout: number;
    queriesPerCheckout: number;
    comCommitDelta: number;
    backgroundCommitsPerSecond: number;
    backgroundCommitsPerSecondBeforeAfter: [number, number];
    note: string;
  };
  dbCeiling: DbCeiling;
  /** The DB ceiling in checkouts: transactions/s ÷ transactions per checkout. */
  dbCeilingCheckoutsPerSecond: number;
  pctOfDbCeiling: number;
}

const STEP_TIMEOUT = 30_000;
const SCARCE_STOCK = 12;
/** The processes whose CPU is ours to spend per checkout. */
const OURS = ['gateway', ...SERVICES, 'mariadb', 'rabbitmq'];

export async function checkoutWorkload(b: Bench, customers: Customer[], products: Product[], subscriptions: boolean): Promise<CheckoutResult> {
  // A few scarce products, so that oversold units would show if holds ever raced.
  const scarce = products.slice(0, 5).map((p) => p.id);
  await b.db.inventory.query('UPDATE products SET stock_on_hand = ? WHERE id IN (?)', [SCARCE_STOCK, scarce]);
  const before = await stockOf(b, products);
  const placements: Placement[] = [];
  const clients: Client[] = subscriptions ? customers.map((c) => wsClient(b.stack.url.gateway, c.token)) : [];
  const samples = { place: [] as number[], page: [] as number[], submit: [] as number[], clickToPaid: [] as number[], whole: [] as number[] };
  const measuredSessions = new Set<string>();
  let outOfStock = 0;

  const checkout = async (w: number, record: boolean) => {
    const customer = customers[w]!;
    const lines = randomItems(products);
    const t0 = performance.now();
    let placed;
    try {
      placed = await placeOrder(b.stack.url.gateway, customer, lines);
    } catch (err) {
      if ((err as { code?: string }).code === 'OUT_OF_STOCK') return void outOfStock++;
      throw err;
    }
    const t1 = performance.now();
    placements.push({ orderId: placed.id, lines });
    const waiter = subscriptions ? pushWaiter(clients[w]!, placed.id) : pollWaiter(b, placed.id);
    try {
      const session = await within(waiter.session, STEP_TIMEOUT, `the checkout link of ${placed.id}`);
      const t2 = performance.now();
      const form = await openPaymentPage(hostedPage(b, session));
      const t3 = performance.now();
      await submitPayment(form);
      const t4 = performance.now();
      const paidAt = await within(waiter.paid, STEP_TIMEOUT, `${placed.id} to be PAID`);
      if (record) {
        samples.place.push(t1 - t0);
        samples.page.push(t3 - t2);
        samples.submit.push(t4 - t3);
        samples.clickToPaid.push(paidAt - t3);
        samples.whole.push(paidAt - t0);
        measuredSessions.add(session.id);
      }
    } finally {
      waiter.close();
    }
  };

  try {
    b.log(`  checkout: warm-up`);
    await closedLoop({ workers: customers.length, durationMs: b.warmupMs, maxIterations: 10_000, iteration: (w) => checkout(w, false) });
    await drained(
      b,
      placements.map((p) => p.orderId),
    );
    // What commits while we do nothing (our idle jobs, other clients of this MariaDB), to subtract.
    const quietMs = b.smoke ? 1000 : 2000;
    const idleBefore = await idleRates(b, quietMs);
    b.log(`  checkout: ${customers.length} customers for ${b.durationMs / 1000} s (${subscriptions ? 'subscriptions' : 'polling'})`);
    const measuredFrom = placements.length;
    const s0 = await globalStatus(b.db.server, ['Com_commit', 'Questions']);
    const meter = cpuMeter(b.cpuGroups());
    const t0 = performance.now();
    const run = await closedLoop({ workers: customers.length, durationMs: b.durationMs, maxIterations: 100_000, iteration: (w) => checkout(w, true) });
    // Transactions per checkout include the asynchronous tail (order.paid fan-out, shipping): wait for it.
    await drained(
      b,
      placements.slice(measuredFrom).map((p) => p.orderId),
    );
    const s1 = await globalStatus(b.db.server, ['Com_commit', 'Questions']);
    const cpu = meter.stop();
    const webhook = webhookDeliveries(b.stack.child['stripe-emulator'].logFile, measuredSessions);
    const spanS = (performance.now() - t0) / 1000;
    const completed = samples.whole.length;
    const comCommitDelta = s1.Com_commit! - s0.Com_commit!;
    // The MariaDB is shared (other people's tests run on it): its idle rate is taken before and
    // after the run and averaged; a net figure at or below zero means that noise swamped ours.
    const idleAfter = await idleRates(b, quietMs);
    const background = { commit: (idleBefore.commit + idleAfter.commit) / 2, questions: (idleBefore.questions + idleAfter.questions) / 2 };
    const net = (delta: number, idle: number, digits: number) => {
      const v = completed ? round((delta - idle * spanS) / completed, digits) : NaN;
      return v > 0 ? v : NaN;
    };
    const perCheckout = net(comCommitDelta, background.commit, 2);
    const queriesPerCheckout = net(s1.Questions! - s0.Questions!, background.questions, 1);

    await drained(
      b,
      placements.map((p) => p.orderId),
    );
    const after = await stockOf(b, products);
    const stock = await conservation(b, placements, before, after);

    b.log(`  checkout: database ceiling (raw transactions, pool of 10) for ${b.durationMs / 1000} s`);
    const dbCeiling = await measureDbCeiling(b.databaseUrl, `${b.stack.prefix}_ceiling`, b.durationMs, 10);
    const checkoutsPerSecond = round(completed / (run.elapsedMs / 1000), 1);
    const dbCeilingCheckoutsPerSecond = round(dbCeiling.transactionsPerSecond / perCheckout, 1);
    return {
      customers: customers.length,
      waitMode: subscriptions ? 'subscription' : 'polling',
      completed,
      outOfStock,
      errors: run.errors,
      errorSamples: run.errorSamples,
      checkoutsPerSecond,
      placeOrderMs: latency(samples.place),
      payPageMs: latency(samples.page),
      paySubmitMs: latency(samples.submit),
      payClickToPaidMs: latency(samples.clickToPaid),
      webhook,
      wholePathMs: latency(samples.whole),
      stock,
      cpuMsPerCheckout: perOperation(cpu, completed, false),
      oursCpuMsPerCheckout: completed ? round(OURS.reduce((sum, k) => sum + (cpu[k] ?? 0), 0) / completed, 2) : NaN,
      transactions: {
        perCheckout,
        queriesPerCheckout,
        comCommitDelta,
        backgroundCommitsPerSecond: round(background.commit, 1),
        backgroundCommitsPerSecondBeforeAfter: [round(idleBefore.commit, 1), round(idleAfter.commit, 1)],
        note: 'measured: SHOW GLOBAL STATUS Com_commit delta over the run and its drain, minus the idle rate, ÷ completed checkouts (explicit transactions only; autocommit statements are not counted)',
      },
      dbCeiling: { ...dbCeiling, transactionsPerSecond: round(dbCeiling.transactionsPerSecond, 1) },
      dbCeilingCheckoutsPerSecond,
      pctOfDbCeiling: pct(checkoutsPerSecond, dbCeilingCheckoutsPerSecond),
    };
  } finally {
    await closeAll(clients);
  }
}

interface Session {
  id: string;
  /** The checkout link as the API gives it (null when polled from the database). */
  url: string | null;
}

interface Waiter {
  session: Promise<Session>;
  /** Resolves with when PAID was seen (performance.now()). */
  paid: Promise<number>;
  close(): void;
}

/**
 * Where the browser goes: the checkout link's page, on the emulator's explicit loopback address.
 * The link names `localhost` (the emulator's default public URL), which may resolve to ::1, where
 * nothing listens (as stack.ts notes); a session polled from the database has only its id.
 */
function hostedPage(b: Bench, session: Session): string {
  const path = session.url ? new URL(session.url).pathname : `/pay/${encodeURIComponent(session.id)}`;
  return new URL(path, b.stack.url['stripe-emulator']).href;
}

/** The customer's own subscription tells both: the push with the checkout link, then PAID. */
function pushWaiter(client: Client, orderId: string): Waiter {
  let session!: (s: Session) => void;
  let paid!: (at: number) => void;
  const w = { session: new Promise<Session>((r) => (session = r)), paid: new Promise<number>((r) => (paid = r)) };
  const sub = subscribeOrder(
    client,
    orderId,
    (push, at) => {
      const p = push.payment;
      if (p?.stripeCheckoutSessionId && p.checkoutUrl) session({ id: p.stripeCheckoutSessionId, url: p.checkoutUrl });
      if (push.status === 'PAID' || push.status === 'FINISHED') paid(at);
    },
    CHECKOUT_SUBSCRIPTION,
  );
  // A failed subscription fails the waits at once rather than at their timeouts.
  const failed = sub.opened.then(() => new Promise<never>(() => undefined));
  return { session: quiet(Promise.race([w.session, failed])), paid: quiet(Promise.race([w.paid, failed])), close: sub.close };
}

/** Without subscriptions: poll the databases (cheap, and not on the gateway being measured). */
function pollWaiter(b: Bench, orderId: string): Waiter {
  let closed = false;
  const poll = async <T>(check: () => Promise<T | undefined>) => {
    for (let i = 0; i < STEP_TIMEOUT / 50 && !closed; i++) {
      const v = await check();
      if (v !== undefined) return v;
      await sleep(50);
    }
    throw new Error(`stopped polling ${orderId}`);
  };
  const session = poll(async () => {
    const id = (await rows<{ session_id: string }>(b.db.payment, 'SELECT session_id FROM payments WHERE order_id = ? AND session_id IS NOT NULL', [orderId]))[0]
      ?.session_id;
    return id ? { id, url: null } : undefined;
  });
  const paid = session.then(() =>
    poll(async () =>
      (await rows(b.db.order, `SELECT 1 FROM orders WHERE id = ? AND status IN ('PAID', 'FINISHED')`, [orderId])).length ? performance.now() : undefined,
    ),
  );
  return { session: quiet(session), paid: quiet(paid), close: () => void (closed = true) };
}

/** Commits and statements per second on the whole server while we do nothing (our idle jobs, other clients). */
async function idleRates(b: Bench, quietMs: number): Promise<{ commit: number; questions: number }> {
  const q0 = await globalStatus(b.db.server, ['Com_commit', 'Questions']);
  await sleep(quietMs);
  const q1 = await globalStatus(b.db.server, ['Com_commit', 'Questions']);
  return { commit: (q1.Com_commit! - q0.Com_commit!) / (quietMs / 1000), questions: (q1.Questions! - q0.Questions!) / (quietMs / 1000) };
}

/** A wait that may never be awaited (an earlier step failed) must not crash the run as unhandled. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
