// Checkout: N customers at once, each placeOrder → its Checkout Session → a signed
// checkout.session.completed webhook → PAID, over and over. Then the database ceiling for the
// same time with the same pool size, and the check that stock was conserved.
import type { Client } from 'graphql-ws';
import type { Bench } from '../context.js';
import { closeAll, completedEvent, deliverWebhook, gql, placeOrder, subscribeOrder, within, wsClient, type Customer } from '../client.js';
import { measureDbCeiling, type DbCeiling } from '../ceiling/db.js';
import { cpuMeter, perOperation, type CpuSplit } from '../cpu.js';
import { randomItems, type Product } from '../seed.js';
import { closedLoop, latency, round, sleep, until, type Latency } from '../stats.js';
import { globalStatus, rows } from '../sql.js';
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
  webhookMs: Latency;
  wholePathMs: Latency;
  stock: { products: number; oversoldUnits: number; mismatchedUnits: number };
  /** CPU ms per completed checkout in each process (and the rest of the machine). */
  cpuMsPerCheckout: CpuSplit;
  transactions: { perCheckout: number; queriesPerCheckout: number; comCommitDelta: number; backgroundCommitsPerSecond: number; note: string };
  dbCeiling: DbCeiling;
  /** The DB ceiling in checkouts: transactions/s ÷ transactions per checkout. */
  dbCeilingCheckoutsPerSecond: number;
  pctOfDbCeiling: number;
}

const STEP_TIMEOUT = 30_000;
const SCARCE_STOCK = 12;

interface Placement {
  orderId: string;
  lines: { productId: string; quantity: number }[];
}

export async function checkoutWorkload(b: Bench, customers: Customer[], products: Product[], subscriptions: boolean): Promise<CheckoutResult> {
  // A few scarce products, so that oversold units would show if holds ever raced.
  const scarce = products.slice(0, 5).map((p) => p.id);
  await b.db.inventory.query('UPDATE products SET stock_on_hand = ? WHERE id IN (?)', [SCARCE_STOCK, scarce]);
  const before = await stockOf(b, products);
  const placements: Placement[] = [];
  const clients: Client[] = subscriptions ? customers.map((c) => wsClient(b.stack.url.gateway, c.token)) : [];
  const samples = { place: [] as number[], webhook: [] as number[], whole: [] as number[] };
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
      const sessionId = await within(waiter.session, STEP_TIMEOUT, `the Checkout Session of ${placed.id}`);
      const event = completedEvent(sessionId, placed.amountDue.amount, placed.amountDue.currency, b.stack.webhookSecret);
      const t2 = performance.now();
      await deliverWebhook(b.stack.url.payment, event);
      const t3 = performance.now();
      await within(waiter.paid, STEP_TIMEOUT, `${placed.id} to be PAID`);
      if (record) {
        samples.place.push(t1 - t0);
        samples.webhook.push(t3 - t2);
        samples.whole.push(performance.now() - t0);
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
    const q0 = await globalStatus(b.db.server, ['Com_commit', 'Questions']);
    await sleep(quietMs);
    const q1 = await globalStatus(b.db.server, ['Com_commit', 'Questions']);
    const background = { commit: (q1.Com_commit! - q0.Com_commit!) / (quietMs / 1000), questions: (q1.Questions! - q0.Questions!) / (quietMs / 1000) };

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
    const spanS = (performance.now() - t0) / 1000;
    const completed = samples.whole.length;
    const comCommitDelta = s1.Com_commit! - s0.Com_commit!;
    const perCheckout = completed ? round((comCommitDelta - background.commit * spanS) / completed, 2) : NaN;
    const queriesPerCheckout = completed ? round((s1.Questions! - s0.Questions! - background.questions * spanS) / completed, 1) : NaN;

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
      webhookMs: latency(samples.webhook),
      wholePathMs: latency(samples.whole),
      stock,
      cpuMsPerCheckout: perOperation(cpu, completed),
      transactions: {
        perCheckout,
        queriesPerCheckout,
        comCommitDelta,
        backgroundCommitsPerSecond: round(background.commit, 1),
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

interface Waiter {
  session: Promise<string>;
  paid: Promise<void>;
  close(): void;
}

/** The customer's own subscription tells both: the push with a session id, then PAID. */
function pushWaiter(client: Client, orderId: string): Waiter {
  let session!: (id: string) => void;
  let paid!: () => void;
  const w = { session: new Promise<string>((r) => (session = r)), paid: new Promise<void>((r) => (paid = r)) };
  const sub = subscribeOrder(client, orderId, (push) => {
    if (push.payment?.stripeCheckoutSessionId) session(push.payment.stripeCheckoutSessionId);
    if (push.status === 'PAID' || push.status === 'FINISHED') paid();
  });
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
  const session = poll(
    async () =>
      (await rows<{ session_id: string }>(b.db.payment, 'SELECT session_id FROM payments WHERE order_id = ? AND session_id IS NOT NULL', [orderId]))[0]
        ?.session_id as string | undefined,
  );
  const paid = session.then(() =>
    poll(async () => ((await rows(b.db.order, `SELECT 1 FROM orders WHERE id = ? AND status IN ('PAID', 'FINISHED')`, [orderId])).length ? true : undefined)),
  );
  return { session: quiet(session), paid: quiet(paid.then(() => undefined)), close: () => void (closed = true) };
}

/** A wait that may never be awaited (an earlier step failed) must not crash the run as unhandled. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Waits (bounded) until none of these orders is still PAID, i.e. inventory has sold and shipped them. */
async function drained(b: Bench, orderIds: string[]): Promise<void> {
  for (let i = 0; i < orderIds.length; i += 1000) {
    const ids = orderIds.slice(i, i + 1000);
    await until(
      async () => (await rows(b.db.order, `SELECT COUNT(*) AS n FROM orders WHERE status = 'PAID' AND id IN (?)`, [ids]))[0]!.n == 0,
      'paid orders to finish',
      30_000,
      100,
    ).catch((err) => b.log(`  checkout: ${(err as Error).message}`));
  }
}

type Stock = Map<string, { stockOnHand: number; available: number }>;

/** Aliased product(id:) lookups per query: within the gateway's MAX_ALIASES (30 by default). */
const STOCK_QUERY_PRODUCTS = 25;

/** stockOnHand and available of the products, as the API reports them, a few products per query. */
async function stockOf(b: Bench, products: Product[]): Promise<Stock> {
  const stock: Stock = new Map();
  for (let start = 0; start < products.length; start += STOCK_QUERY_PRODUCTS) {
    const chunk = products.slice(start, start + STOCK_QUERY_PRODUCTS);
    const query = `{ ${chunk.map((p, i) => `p${i}: product(id: "${p.id}") { stockOnHand available }`).join(' ')} }`;
    const data = await gql<Record<string, { stockOnHand: number; available: number }>>(b.stack.url.gateway, query);
    chunk.forEach((p, i) => {
      const s = data[`p${i}`];
      if (!s) throw new Error(`no stock figures for product ${p.id}`);
      stock.set(p.id, s);
    });
  }
  return stock;
}

/**
 * Units sold must equal units in paid orders, never more than there were; units still held
 * must equal units in open orders. Oversold = units that left stock beyond either bound.
 */
async function conservation(b: Bench, placements: Placement[], before: Stock, after: Stock) {
  const status = new Map<string, string>();
  for (let i = 0; i < placements.length; i += 1000) {
    const ids = placements.slice(i, i + 1000).map((p) => p.orderId);
    for (const r of await rows<{ id: string; status: string }>(b.db.order, 'SELECT id, status FROM orders WHERE id IN (?)', [ids])) status.set(r.id, r.status);
  }
  const paid = new Map<string, number>();
  const open = new Map<string, number>();
  for (const p of placements) {
    const s = status.get(p.orderId);
    const into = s === 'PAID' || s === 'FINISHED' ? paid : s === 'PENDING' || s === 'WAITING_FOR_PAYMENT' ? open : null;
    for (const l of p.lines) into?.set(l.productId, (into.get(l.productId) ?? 0) + l.quantity);
  }
  let oversoldUnits = 0;
  let mismatchedUnits = 0;
  for (const [id, b0] of before) {
    const b1 = after.get(id)!;
    const sold = b0.stockOnHand - b1.stockOnHand;
    const paidUnits = paid.get(id) ?? 0;
    oversoldUnits += Math.max(0, sold - paidUnits) + Math.max(0, sold - b0.available);
    mismatchedUnits += Math.abs(sold - paidUnits) + Math.abs(b0.available - b1.available - paidUnits - (open.get(id) ?? 0));
  }
  return { products: before.size, oversoldUnits, mismatchedUnits };
}
