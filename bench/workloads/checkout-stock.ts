// Around the checkout workload: waiting for the asynchronous tail to drain, and the stock check —
// units that left stock must match paid orders, and never exceed what there was.
import type { Bench } from '../context.js';
import { gql } from '../client.js';
import type { Product } from '../seed.js';
import { rows } from '../sql.js';
import { until } from '../stats.js';

export interface Placement {
  orderId: string;
  lines: { productId: string; quantity: number }[];
}

/** Waits (bounded) until none of these orders is still PAID, i.e. inventory has sold and shipped them. */
export async function drained(b: Bench, orderIds: string[]): Promise<void> {
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

export type Stock = Map<string, { stockOnHand: number; available: number }>;

/** Aliased product(id:) lookups per query: within the gateway's MAX_ALIASES (30 by default). */
const STOCK_QUERY_PRODUCTS = 25;

/** stockOnHand and available of the products, as the API reports them, a few products per query. */
export async function stockOf(b: Bench, products: Product[]): Promise<Stock> {
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
export async function conservation(b: Bench, placements: Placement[], before: Stock, after: Stock) {
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
    const mismatched = Math.abs(sold - paidUnits) + Math.abs(b0.available - b1.available - paidUnits - (open.get(id) ?? 0));
    // Which product, and how, so that a mismatch can be followed to its orders (the report shows only the sum).
    if (mismatched) {
      const taken = b0.available - b1.available;
      b.log(
        `  checkout: stock of ${id} does not match its orders: sold ${sold} for ${paidUnits} paid, available down ${taken} for ${paidUnits} paid + ${open.get(id) ?? 0} open`,
      );
    }
    mismatchedUnits += mismatched;
  }
  return { products: before.size, oversoldUnits, mismatchedUnits };
}
