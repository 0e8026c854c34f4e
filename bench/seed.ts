// A realistic catalog and customers. Products go straight into the inventory database through its
// entities (1,000 createProduct mutations would take longer than some workloads); customers and
// their orders go through the API, since tokens and holds must be real.
import { randomBytes, randomUUID } from 'node:crypto';
import { entities as inventoryEntities, ProductEntity, type ProductRow } from '../subgraphs/inventory/src/persistence/entities.js';
import { placeOrder, signUp, type Customer, type Placed } from './client.js';
import { insertChunked, openEntities } from './entities.js';
import { mapLimit, until } from './stats.js';
import { rows, type Pool } from './sql.js';

export interface Product {
  id: string;
  price: number;
}

const WORDS = ['Enamel', 'Cotton', 'Canvas', 'Steel', 'Brass', 'Wool', 'Linen', 'Oak', 'Ceramic', 'Leather'];
const THINGS = ['mug', 'tee', 'cap', 'tote', 'bottle', 'notebook', 'pen', 'socks', 'hoodie', 'poster', 'keyring', 'lamp'];

/** count products with stockOnHand `stock` into `database`, oldest first (so `products(first: 20)` is stable). */
export async function seedProducts(databaseUrl: string, database: string, count: number, stock: number): Promise<Product[]> {
  const base = Date.now() - count * 1000;
  const products: ProductRow[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    sku: `B-${i.toString().padStart(5, '0')}-${randomBytes(3).toString('hex')}`,
    name: `${WORDS[i % WORDS.length]} ${THINGS[Math.floor(i / WORDS.length) % THINGS.length]} #${i}`,
    description: `Benchmark product ${i}: ${'a sturdy, well-made thing. '.repeat(1 + (i % 4))}`,
    price: 500 + ((i * 137) % 9500),
    currency: 'USD',
    stockOnHand: stock,
    held: 0,
    // Nothing to ship: the checkout workload stays the one earlier runs measured (no address, method or tax).
    requiresShipping: false,
    createdAt: new Date(base + i * 1000),
  }));
  const inventory = await openEntities(databaseUrl, database, inventoryEntities, 1);
  try {
    await insertChunked(inventory.manager, ProductEntity, products);
  } finally {
    await inventory.destroy();
  }
  return products.map(({ id, price }) => ({ id, price }));
}

export async function seedCustomers(gateway: string, count: number, name: string): Promise<Customer[]> {
  // scrypt makes sign-up deliberately slow; a few at a time keeps the account service responsive.
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    6,
    (i) => signUp(gateway, `${name}${i}`),
  );
}

/** Random 1–2 lines of quantity 1–2 from the given products. */
export function randomItems(products: Product[]): { productId: string; quantity: number }[] {
  const first = Math.floor(Math.random() * products.length);
  const lines = [{ productId: products[first]!.id, quantity: 1 + Math.floor(Math.random() * 2) }];
  if (products.length > 1 && Math.random() < 0.5) lines.push({ productId: products[(first + 1) % products.length]!.id, quantity: 1 });
  return lines;
}

export interface CustomerOrders {
  customer: Customer;
  orders: Placed[];
}

/** `perCustomer` orders for each customer through the gateway, `concurrency` at a time. */
export async function seedOrders(gateway: string, customers: Customer[], perCustomer: number, products: Product[], concurrency = 8): Promise<CustomerOrders[]> {
  const jobs = customers.flatMap((customer) => Array.from({ length: perCustomer }, () => customer));
  const placed = await mapLimit(jobs, concurrency, (customer) => placeOrder(gateway, customer, randomItems(products)));
  return customers.map((customer) => ({ customer, orders: placed.filter((_, i) => jobs[i] === customer) }));
}

/** Waits until every order has left PENDING for WAITING_FOR_PAYMENT (its Checkout Session exists). */
export async function waitForSessions(orderDb: Pool, orderIds: string[], timeoutMs: number): Promise<void> {
  for (let i = 0; i < orderIds.length; i += 1000) {
    const ids = orderIds.slice(i, i + 1000);
    await until(
      async () => (await rows(orderDb, `SELECT COUNT(*) AS n FROM orders WHERE status = 'WAITING_FOR_PAYMENT' AND id IN (?)`, [ids]))[0]!.n >= ids.length,
      `${ids.length} orders to be WAITING_FOR_PAYMENT`,
      timeoutMs,
      200,
    );
  }
}

/** Checkout Session ids by order id, from the payment database. */
export async function sessionsOf(paymentDb: Pool, orderIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < orderIds.length; i += 1000) {
    const r = await rows<{ order_id: string; session_id: string }>(
      paymentDb,
      'SELECT order_id, session_id FROM payments WHERE order_id IN (?) AND session_id IS NOT NULL',
      [orderIds.slice(i, i + 1000)],
    );
    for (const x of r) out.set(x.order_id, x.session_id);
  }
  return out;
}
