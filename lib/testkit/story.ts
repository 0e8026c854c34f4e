// Story helpers for whole-system tests: `const ann = await signUp(sys); await ann.placeOrder(...)`.
import { randomBytes } from 'node:crypto';
import type { System } from '../system/system.js';
import { DEV_ADMIN } from '../platform/config.js';
import { gql, ok, waitFor, type GraphQLResponse } from './graphql.js';

export const ORDER_FIELDS = `id status amountDue { amount currency } subtotal { amount } discount { amount } storeCreditApplied { amount }
  cancellationReason statusHistory { status reason } items { quantity unitPrice { amount } product { id name available } }
  payment { status checkoutUrl stripeCheckoutSessionId amount { amount currency } }`;

export interface Shopper {
  id: string;
  email: string;
  token: string;
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  raw(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  placeOrder(input: Record<string, unknown>): Promise<Record<string, any>>;
  order(id: string): Promise<Record<string, any> | null>;
  waitForStatus(id: string, status: string, timeoutMs?: number): Promise<Record<string, any>>;
  /** Pays through the emulator's hosted page, as a customer's browser would: GET it, POST its form. */
  pay(orderId: string): Promise<void>;
}

function shopper(sys: System, id: string, email: string, token: string): Shopper {
  const url = sys.gateway.url;
  const self: Shopper = {
    id,
    email,
    token,
    query: (q, v) => ok(url, q, v, token),
    raw: (q, v) => gql(url, q, v, token),
    placeOrder: async (input) =>
      (await ok(url, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`, { input }, token)).placeOrder,
    order: async (orderId) => (await ok(url, `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: orderId }, token)).order,
    waitForStatus: (orderId, status, timeoutMs) =>
      waitFor(
        async () => {
          const o = await self.order(orderId);
          return o?.status === status ? o : null;
        },
        `order ${orderId} to be ${status}`,
        timeoutMs,
      ),
    async pay(orderId) {
      const url = await waitFor(async () => (await self.order(orderId))?.payment?.checkoutUrl, `a checkout URL for ${orderId}`);
      await payAt(String(url));
    },
  };
  return self;
}

/** Pays on the emulator's hosted page, as a customer's browser would: GET it, POST its form. */
export async function payAt(checkoutUrl: string): Promise<void> {
  const page = await fetch(checkoutUrl);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1];
  if (!action) throw new Error(`no payment form on ${checkoutUrl}:\n${html}`);
  const fields = [...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)].map((m) => [m[1]!, m[2]!]);
  const res = await fetch(new URL(action, checkoutUrl), { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  if (res.status >= 400) throw new Error(`payment form answered ${res.status}: ${await res.text()}`);
}

export async function signUp(sys: System, name = 'Ann'): Promise<Shopper> {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;
  const data = await ok(
    sys.gateway.url,
    `mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token customer { id } } }`,
    { e: email, p: 'correct-horse', n: name },
  );
  return shopper(sys, data.signUp.customer.id, email, data.signUp.token);
}

export async function logInAdmin(sys: System): Promise<Shopper> {
  const data = await ok(sys.gateway.url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token customer { id } } }`, {
    e: DEV_ADMIN.email,
    p: DEV_ADMIN.password,
  });
  return shopper(sys, data.logIn.customer.id, DEV_ADMIN.email, data.logIn.token);
}

/** A fresh product (admin-created) so tests never share stock; it ships unless told otherwise. */
export async function createProduct(admin: Shopper, stockOnHand: number, price = 1000, requiresShipping = true): Promise<string> {
  const sku = `T-${randomBytes(5).toString('hex')}`;
  const d = await admin.query(`mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { sku, name: `Product ${sku}`, price, currency: 'USD', stockOnHand, requiresShipping },
  });
  return d.createProduct.id;
}

/**
 * A fresh product that does not ship: its orders need no address or shipping method and pay no
 * shipping, for tests about stock, payments and state rather than delivery.
 */
export const createDigitalProduct = (admin: Shopper, stockOnHand: number, price = 1000) => createProduct(admin, stockOnHand, price, false);

export async function stockOf(sys: System, productId: string): Promise<{ stockOnHand: number; available: number }> {
  return (await ok(sys.gateway.url, `query($id: ID!) { product(id: $id) { stockOnHand available } }`, { id: productId })).product;
}

/** Someone at the storefront without a sign-in, or holding only an order token. */
export interface Visitor {
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  raw(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
}

export function visitor(sys: System, token?: string): Visitor {
  return { query: (q, v) => ok(sys.gateway.url, q, v, token), raw: (q, v) => gql(sys.gateway.url, q, v, token) };
}

/**
 * Carts price products from the order subgraph's read model, which product.changed fills a moment
 * after createProduct: waits until a cart takes each of these products.
 */
export async function untilCartsKnow(sys: System, productIds: string[]): Promise<void> {
  const lines = productIds.map((productId) => ({ productId, quantity: 1 }));
  await waitFor(
    async () => (await gql(sys.gateway.url, `mutation($lines: [OrderItemInput!]) { createCart(input: { lines: $lines }) { id } }`, { lines })).data?.createCart,
    `carts to know products ${productIds.join(', ')}`,
  );
}
