// The catalog through the gateway: paging, admin-only changes, input checks, unknown ids.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { fails, ok } from '../../../lib/testkit/graphql.js';
import { createProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { MAX_PAGE } from '../src/domain/products.js';

const sys: System = await testSystem();
const url = sys.gateway.url;
const admin: Shopper = await logInAdmin(sys);
const customer: Shopper = await signUp(sys, 'Dana');

interface Page {
  nodes: { id: string; sku: string; name: string; price: { amount: number; currency: string }; stockOnHand: number; available: number }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PRODUCTS = `query($first: Int, $after: String) { products(first: $first, after: $after) {
  nodes { id sku name price { amount currency } stockOnHand available } totalCount pageInfo { hasNextPage endCursor } } }`;
const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku name description price { amount currency } stockOnHand available } }`;
const RESTOCK = `mutation($id: ID!, $q: Int!) { restock(productId: $id, quantity: $q) { id stockOnHand available } }`;

const page = async (variables: { first?: number; after?: string | null }): Promise<Page> => (await ok(url, PRODUCTS, variables)).products;
const totalCount = async () => (await page({ first: 1 })).totalCount;
const input = (overrides: Record<string, unknown> = {}) => ({
  sku: `C-${randomBytes(5).toString('hex')}`,
  name: 'Catalog test product',
  description: 'made by catalog.test.ts',
  price: 1999,
  currency: 'USD',
  stockOnHand: 7,
  ...overrides,
});

test('products pages through the whole catalog with first/after, in sku order, with totalCount and pageInfo', async () => {
  const first = await page({ first: 5 });
  assert.ok(first.totalCount >= 12, `the demo catalog is there: ${first.totalCount}`);
  const seen: Page['nodes'] = [];
  let current = first;
  let pages = 1;
  for (;;) {
    assert.equal(current.totalCount, first.totalCount, 'totalCount counts the whole catalog on every page');
    seen.push(...current.nodes);
    const last = current.nodes[current.nodes.length - 1];
    assert.ok(last, `page ${pages} is not empty`);
    assert.ok(current.pageInfo.endCursor, `page ${pages} has an endCursor`);
    if (!current.pageInfo.hasNextPage) break;
    assert.equal(current.nodes.length, 5, `a page before the last is full`);
    current = await page({ first: 5, after: current.pageInfo.endCursor });
    pages++;
    assert.ok(pages < 100, 'paging terminates');
  }
  assert.equal(seen.length, first.totalCount, 'every product once');
  assert.equal(new Set(seen.map((p) => p.id)).size, seen.length, 'no product twice');
  const skus = seen.map((p) => p.sku);
  assert.deepEqual(skus, [...skus].sort(), 'ordered by sku');
  assert.equal(pages, Math.ceil(first.totalCount / 5));

  // After the last cursor: an empty page, not an error.
  const beyond = await page({ first: 5, after: current.pageInfo.endCursor });
  assert.deepEqual(beyond.nodes, []);
  assert.deepEqual(beyond.pageInfo, { hasNextPage: false, endCursor: null });

  // One big page holds the same products; the default page size is 20.
  const all = await page({ first: MAX_PAGE });
  assert.deepEqual(
    all.nodes.map((p) => p.id),
    seen.map((p) => p.id).slice(0, MAX_PAGE),
  );
  assert.equal((await ok(url, `{ products { nodes { id } } }`)).products.nodes.length, Math.min(20, first.totalCount));
  for (const p of seen) {
    assert.equal(p.price.currency, 'USD');
    assert.ok(p.available <= p.stockOnHand && p.available >= 0, JSON.stringify(p));
  }
});

test('a malformed cursor is BAD_USER_INPUT', async () => {
  const forged = Buffer.from('sku:').toString('base64url') + '==';
  // Not base64url, base64url of something else, another prefix, and a valid cursor with padding added.
  for (const after of ['garbage!', 'bm90LWEtY3Vyc29y', Buffer.from('id:MUG-01').toString('base64url'), forged]) {
    await fails(url, 'BAD_USER_INPUT', PRODUCTS, { first: 5, after });
  }
});

test('first out of range is BAD_USER_INPUT', async () => {
  for (const first of [0, -1, MAX_PAGE + 1, 1_000_000]) await fails(url, 'BAD_USER_INPUT', PRODUCTS, { first });
  // The bounds themselves are fine.
  assert.equal((await page({ first: 1 })).nodes.length, 1);
  assert.ok((await page({ first: MAX_PAGE })).nodes.length > 1);
});

test('an admin creates and restocks a product', async () => {
  const before = await totalCount();
  const wanted = input({ name: '  Trimmed name  ' });
  const created = (await admin.query(CREATE, { input: wanted })).createProduct;
  assert.deepEqual(
    { ...created, id: undefined },
    {
      id: undefined,
      sku: wanted.sku,
      name: 'Trimmed name',
      description: wanted.description,
      price: { amount: 1999, currency: 'USD' },
      stockOnHand: 7,
      available: 7,
    },
  );
  assert.equal(await totalCount(), before + 1);
  assert.deepEqual((await admin.query(RESTOCK, { id: created.id, q: 5 })).restock, { id: created.id, stockOnHand: 12, available: 12 });
  assert.deepEqual(await stockOf(sys, created.id), { stockOnHand: 12, available: 12 });
  await fails(url, 'CONFLICT', CREATE, { input: input({ sku: wanted.sku }) }, admin.token);
  assert.equal(await totalCount(), before + 1, 'a duplicate sku writes nothing');
});

test('createProduct and restock are admin-only: FORBIDDEN for customers, UNAUTHENTICATED for anonymous callers, nothing written', async () => {
  const productId = await createProduct(admin, 3);
  const before = await totalCount();
  await fails(url, 'FORBIDDEN', CREATE, { input: input() }, customer.token);
  await fails(url, 'UNAUTHENTICATED', CREATE, { input: input() });
  await fails(url, 'FORBIDDEN', RESTOCK, { id: productId, q: 10 }, customer.token);
  await fails(url, 'UNAUTHENTICATED', RESTOCK, { id: productId, q: 10 });
  assert.equal(await totalCount(), before, 'no product was created');
  assert.deepEqual(await stockOf(sys, productId), { stockOnHand: 3, available: 3 }, 'no stock was added');
});

test('bad product input is BAD_USER_INPUT and writes nothing', async () => {
  const before = await totalCount();
  const bad: [string, Record<string, unknown>][] = [
    ['negative price', { price: -1 }],
    ['negative stock', { stockOnHand: -5 }],
    ['empty name', { name: '' }],
    ['blank name', { name: '   ' }],
    ['too long a name', { name: 'n'.repeat(201) }],
    ['foreign currency', { currency: 'EUR' }],
    ['lower-case currency', { currency: 'usd' }],
    ['bad sku', { sku: 'has spaces' }],
    ['empty sku', { sku: '' }],
    ['absurd price', { price: 2_000_000_000 }],
  ];
  for (const [what, overrides] of bad) {
    const error = await fails(url, 'BAD_USER_INPUT', CREATE, { input: input(overrides) }, admin.token);
    assert.ok(error.message.length > 0, what);
  }
  assert.equal(await totalCount(), before, 'no product was written');
});

test('restock with a quantity that is not positive is BAD_USER_INPUT and adds nothing', async () => {
  const productId = await createProduct(admin, 4);
  for (const q of [0, -3, 10_000_001]) await fails(url, 'BAD_USER_INPUT', RESTOCK, { id: productId, q }, admin.token);
  assert.deepEqual(await stockOf(sys, productId), { stockOnHand: 4, available: 4 });
});

test('unknown ids: product(id) is null and restock is NOT_FOUND', async () => {
  for (const id of [randomUUID(), 'not-a-uuid', "'; DROP TABLE products; --"]) {
    assert.deepEqual(await ok(url, `query($id: ID!) { product(id: $id) { id name } }`, { id }), { product: null });
  }
  const before = await totalCount();
  await fails(url, 'NOT_FOUND', RESTOCK, { id: randomUUID(), q: 1 }, admin.token);
  assert.equal(await totalCount(), before);
});
