// Order history for the growth workload, written straight into an order database through the
// order subgraph's entities (bench/entities.ts, multi-row INSERTs): orders with their items, status history, the outbox rows they published and the inbox
// rows of the events they consumed — what a year of real traffic leaves behind, since the outbox
// and inbox are never pruned. A marker table records a finished seed, so later runs reuse it.
//
// Ids here are time-ordered (ascending per batch) rather than random v4: appending to the primary
// keys seeds a million orders in minutes instead of tens of minutes. The orders placeOrder writes
// during the measurement still get random ids, landing anywhere in the tree, as in production.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  entities as orderEntities,
  OrderEntity,
  OrderItemEntity,
  OrderStatusChangeEntity,
  type OrderItemRow,
  type OrderRow,
  type OrderStatusChangeRow,
} from '../subgraphs/order/src/persistence/entities.js';
import type { OrderStatus } from '../lib/contracts/events.js';
import { insertChunked, openEntities } from './entities.js';
import { mapLimit, round } from './stats.js';
import { openPool, rows, sqlTime } from './sql.js';

const TABLES = ['orders', 'order_items', 'order_status_changes', 'outbox', 'inbox'];
const BATCH = 1000;

export interface GrowthData {
  database: string;
  orders: number;
  seeded: boolean;
  seedSeconds: number;
}

/** Makes `database` (already migrated by the order service) hold exactly `target` seeded orders. */
export async function ensureGrowthData(databaseUrl: string, database: string, target: number, reseed: boolean, log: (m: string) => void): Promise<GrowthData> {
  const pool = openPool(databaseUrl, database, 3);
  const orderDb = await openEntities(databaseUrl, database, orderEntities, 3);
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_seed (orders INT NOT NULL, seeded_at DATETIME(3) NOT NULL)');
    const [marker] = await rows<{ orders: number }>(pool, 'SELECT orders FROM bench_seed LIMIT 1');
    if (!reseed && marker?.orders === target) {
      const [{ n }] = (await rows(pool, 'SELECT COUNT(*) AS n FROM orders')) as [{ n: number }];
      if (n >= target) return { database, orders: n, seeded: false, seedSeconds: 0 };
    }
    log(`  growth: seeding ${target.toLocaleString('en')} orders into ${database}`);
    const t0 = performance.now();
    await pool.query('DELETE FROM bench_seed');
    for (const t of TABLES) await pool.query(`TRUNCATE TABLE ${t}`);
    const customers = Array.from({ length: Math.max(10, Math.round(target / 100)) }, () => randomUUID());
    const products = Array.from({ length: 1000 }, () => randomUUID());
    const batches = Array.from({ length: Math.ceil(target / BATCH) }, (_, k) => k);
    let done = 0;
    // A few connections at once: MariaDB works each statement on one core.
    await mapLimit(batches, 3, async (k) => {
      await insertBatch(orderDb, k * BATCH, Math.min(target, (k + 1) * BATCH), target, customers, products);
      done++;
      if (done % 100 === 0) log(`  growth: ${(done * BATCH).toLocaleString('en')} orders (${round((performance.now() - t0) / 1000)} s)`);
    });
    await pool.query('INSERT INTO bench_seed (orders, seeded_at) VALUES (?, ?)', [target, sqlTime(new Date())]);
    // Fresh statistics, as a long-running database would have.
    for (const t of TABLES) await pool.query(`ANALYZE TABLE ${t}`);
    return { database, orders: target, seeded: true, seedSeconds: round((performance.now() - t0) / 1000) };
  } finally {
    await orderDb.destroy();
    await pool.end();
  }
}

/** Time-ordered ids: `tag` keeps the tables' ranges apart, i orders them, the rest is random. */
function seqId(tag: number, i: number): string {
  const hex = `${tag.toString(16)}${i.toString(16).padStart(11, '0')}${randomBytes(10).toString('hex')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const YEAR = 365 * 24 * 3600 * 1000;

async function insertBatch(orderDb: DataSource, from: number, to: number, total: number, customers: string[], products: string[]) {
  const orders: OrderRow[] = [];
  const items: OrderItemRow[] = [];
  const history: OrderStatusChangeRow[] = [];
  const outbox: Record<string, unknown>[] = [];
  const inbox: Record<string, unknown>[] = [];
  const start = Date.now() - YEAR;
  for (let i = from; i < to; i++) {
    const id = seqId(1, i);
    const customerId = customers[Math.floor(Math.random() * customers.length)]!;
    const placed = start + (i / total) * (YEAR - 86_400_000);
    const cancelled = i % 10 === 0;
    const lines = Array.from({ length: 1 + (i % 3) }, (_, l) => ({
      productId: products[(i * 7 + l * 31) % products.length]!,
      quantity: 1 + (l % 2),
      unitPrice: 500 + ((i + l) % 40) * 100,
    }));
    const subtotal = lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
    const steps: [OrderStatus, number][] = cancelled
      ? [
          ['PENDING', 0],
          ['WAITING_FOR_PAYMENT', 800],
          ['CANCELLED', 35 * 60_000],
        ]
      : [
          ['PENDING', 0],
          ['WAITING_FOR_PAYMENT', 800],
          ['PAID', 90_000],
          ['FINISHED', 3 * 3600_000],
        ];
    const at = (ms: number) => new Date(placed + ms);
    const last = steps[steps.length - 1]!;
    // What the order row and its order.created event both carry.
    const amounts = {
      subtotal,
      discount: 0,
      shipping: 0,
      tax: 0,
      taxIncluded: false,
      storeCreditApplied: 0,
      amountDue: subtotal,
      currency: 'USD',
      couponCode: null,
    };
    const contact = { email: null, shippingAddress: null, billingAddress: null };
    orders.push({
      id,
      customerId,
      guest: false,
      status: last[0],
      ...amounts,
      ...contact,
      shippingMethodCode: null,
      shippingMethodName: null,
      cancellationReason: cancelled ? 'payment session expired' : null,
      paymentProcessingAt: null,
      paymentId: null,
      checkoutSessionId: null,
      checkoutUrl: null,
      idempotencyKey: `cart-${i}`,
      inputHash: null,
      sequence: steps.length,
      createdAt: at(0),
      updatedAt: at(last[1]),
    });
    for (const l of lines) items.push({ ...l, orderId: id, name: `Seeded product ${l.productId.slice(0, 6)}`, currency: 'USD' });
    let eventN = 0;
    const event = (type: string, sequence: number, ms: number, data: object) =>
      outbox.push({
        id: seqId(2, i * 8 + eventN++),
        type,
        aggregateId: id,
        sequence,
        payload: JSON.stringify({ orderId: id, customerId, ...data }),
        traceparent: null,
        occurredAt: at(ms),
        sentAt: at(ms + 5),
      });
    event('order.created', 1, 0, {
      items: lines,
      ...amounts,
      ...contact,
      shippingMethod: null,
      placedAt: new Date(placed).toISOString(),
    });
    steps.forEach(([status, ms], s) => {
      history.push({ orderId: id, sequence: s + 1, status, reason: status === 'CANCELLED' ? 'payment session expired' : null, at: at(ms) });
      event('order.status_changed', s + 1, ms, { status, previousStatus: s ? steps[s - 1]![0] : null, reason: null, at: new Date(placed + ms).toISOString() });
      if (status === 'PAID') event('order.paid', s + 1, ms, { amountDue: subtotal, currency: 'USD', shippingAddress: null });
      if (status === 'CANCELLED') event('order.cancelled', s + 1, ms, { reason: 'payment session expired' });
    });
    const consumed = cancelled ? ['payment.checkout_created', 'payment.expired'] : ['payment.checkout_created', 'payment.succeeded', 'fulfilment.shipped'];
    consumed.forEach((type, n) => inbox.push({ eventId: seqId(3, i * 4 + n), consumer: `order:${type}`, processedAt: at(steps[n + 1]?.[1] ?? 0) }));
  }
  // One transaction per batch; the unique checks are ours to vouch for in a seed.
  await orderDb.transaction(async (em) => {
    await em.query('SET SESSION unique_checks = 0');
    try {
      await insertChunked(em, OrderEntity, orders);
      await insertChunked(em, OrderItemEntity, items);
      await insertChunked(em, OrderStatusChangeEntity, history);
      await insertChunked(em, 'outbox', outbox);
      await insertChunked(em, 'inbox', inbox);
    } finally {
      // The connection goes back to the pool: never with the checks off.
      await em.query('SET SESSION unique_checks = 1').catch(() => undefined);
    }
  });
}

/** Where the outbox ends now, so what a measurement adds can be removed after it. */
export async function outboxEnd(databaseUrl: string, database: string): Promise<number> {
  const pool = openPool(databaseUrl, database, 1);
  try {
    return Number((await rows(pool, 'SELECT COALESCE(MAX(position), 0) AS n FROM outbox'))[0]!.n);
  } finally {
    await pool.end();
  }
}

/** Removes what a measurement added (its orders and everything they wrote), so the seed stays exact. */
export async function removeMeasuredOrders(
  databaseUrl: string,
  database: string,
  orderIds: string[],
  mark: { outboxPosition: number; since: Date },
): Promise<void> {
  const pool = openPool(databaseUrl, database, 1);
  try {
    for (let i = 0; i < orderIds.length; i += 500) {
      const ids = orderIds.slice(i, i + 500);
      for (const table of ['order_items', 'order_status_changes']) await pool.query(`DELETE FROM ${table} WHERE order_id IN (?)`, [ids]);
      await pool.query('DELETE FROM orders WHERE id IN (?)', [ids]);
    }
    // By primary key range: the outbox has no index on aggregate_id.
    await pool.query('DELETE FROM outbox WHERE position > ?', [mark.outboxPosition]);
    await pool.query('DELETE FROM inbox WHERE processed_at >= ?', [sqlTime(mark.since)]);
  } finally {
    await pool.end();
  }
}
