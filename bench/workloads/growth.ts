// Growth: does placeOrder slow down as the order database fills up? The order service is
// restarted on the same port against a small and a large seeded order database in turn
// (everything else stays), and placeOrder is timed through the gateway against each, alternating
// small/large so that drift on a shared machine hits both alike.
import type { Bench } from '../context.js';
import { placeOrder, type Customer } from '../client.js';
import { ensureGrowthData, outboxEnd, removeMeasuredOrders, type GrowthData } from '../growth-data.js';
import { randomItems, type Product } from '../seed.js';
import { closedLoop, latency, noteError, round, until, type Latency } from '../stats.js';
import { openPool, rows } from '../sql.js';

export interface GrowthSize {
  /** DB_PREFIX of the order database: kept between full runs, throwaway in smoke runs. */
  prefix: string;
  orders: number;
}

export interface GrowthSide {
  orders: number;
  database: string;
  seeded: boolean;
  seedSeconds: number;
  placed: number;
  errors: number;
  placeOrderMs: Latency;
}

export interface GrowthResult {
  concurrency: number;
  rounds: number;
  small: GrowthSide;
  large: GrowthSide;
  /** placeOrder p50 with the large database ÷ with the small one. */
  p50Ratio: number;
  p99Ratio: number;
  errorSamples: Record<string, number>;
}

export async function growthWorkload(
  b: Bench,
  customers: Customer[],
  products: Product[],
  sizes: { small: GrowthSize; large: GrowthSize },
  reseed: boolean,
  rounds: number,
): Promise<GrowthResult> {
  const concurrency = Math.min(4, customers.length);
  const data = {} as Record<'small' | 'large', GrowthData>;
  const samples = { small: [] as number[], large: [] as number[] };
  const errors = { small: 0, large: 0 };
  const errorSamples: Record<string, number> = {};

  for (let r = 0; r < rounds; r++) {
    for (const side of ['small', 'large'] as const) {
      const { prefix, orders } = sizes[side];
      const database = `${prefix}_order`;
      b.log(`  growth: order service on ${database} (round ${r + 1}/${rounds})`);
      // A fresh order process each time: the same warm-up, and it migrates a new database first.
      const t0 = performance.now();
      await b.stack.restart('order', { DB_PREFIX: prefix });
      b.log(`  growth: order service restarted in ${round((performance.now() - t0) / 1000)} s`);
      if (r === 0) data[side] = await ensureGrowthData(b.databaseUrl, database, orders, reseed, b.log);
      const mark = { outboxPosition: await outboxEnd(b.databaseUrl, database), since: new Date() };
      const placed: string[] = [];
      const place = async (w: number, record: boolean) => {
        const t0 = performance.now();
        const o = await placeOrder(b.stack.url.gateway, customers[w]!, randomItems(products));
        if (record) samples[side].push(performance.now() - t0);
        placed.push(o.id);
      };
      await closedLoop({ workers: concurrency, durationMs: b.warmupMs, maxIterations: 5000, iteration: (w) => place(w, false) });
      const run = await closedLoop({ workers: concurrency, durationMs: b.durationMs / rounds, maxIterations: 50_000, iteration: (w) => place(w, true) });
      errors[side] += run.errors;
      for (const [m, n] of Object.entries(run.errorSamples)) for (let i = 0; i < n; i++) noteError(errorSamples, new Error(m));
      // Let these orders' events finish here, then take them out so the seed stays exactly N.
      await settled(b.databaseUrl, database, placed).catch((err) => b.log(`  growth: ${(err as Error).message}`));
      await removeMeasuredOrders(b.databaseUrl, database, placed, mark);
    }
  }
  const side = (s: 'small' | 'large'): GrowthSide => ({ ...data[s], placed: samples[s].length, errors: errors[s], placeOrderMs: latency(samples[s]) });
  const small = side('small');
  const large = side('large');
  return {
    concurrency,
    rounds,
    small,
    large,
    p50Ratio: round(large.placeOrderMs.p50 / small.placeOrderMs.p50, 2),
    p99Ratio: round(large.placeOrderMs.p99 / small.placeOrderMs.p99, 2),
    errorSamples,
  };
}

/** Bounded wait until every placed order has its Checkout Session (no event still on its way). */
async function settled(databaseUrl: string, database: string, ids: string[]): Promise<void> {
  const pool = openPool(databaseUrl, database, 1);
  try {
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await until(
        async () => (await rows(pool, `SELECT COUNT(*) AS n FROM orders WHERE status = 'PENDING' AND id IN (?)`, [chunk]))[0]!.n == 0,
        'growth orders to leave PENDING',
        20_000,
        200,
      );
    }
  } finally {
    await pool.end();
  }
}
