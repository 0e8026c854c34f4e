// The staff order list: admins see every order, filtered by status, customer, email and time and
// paged newest first behind a cursor; a customer sees only their own whatever they ask for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { fails, ok } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

// Manual fulfilment keeps paid orders PAID, so the statuses the filters see hold still.
const sys: System = await testSystem({ FULFILMENT_MODE: 'manual' });
const admin: Shopper = await logInAdmin(sys);
const ann: Shopper = await signUp(sys, 'Ann');
const bob: Shopper = await signUp(sys, 'Bob');
const product = await createDigitalProduct(admin, 50, 1500);

const LIST = `query($first: Int, $after: String, $filter: OrderFilter) {
  orders(first: $first, after: $after, filter: $filter) { nodes { id status email createdAt customer { id } } totalCount pageInfo { hasNextPage endCursor } } }`;

interface Listed {
  nodes: { id: string; status: string; email: string | null; createdAt: string }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function list(who: Shopper, variables: Record<string, unknown>): Promise<Listed> {
  return (await who.query(LIST, variables)).orders;
}
const ids = (page: Listed) => page.nodes.map((o) => o.id);

const place = async (who: Shopper) => (await who.placeOrder({ items: [{ productId: product, quantity: 1 }], email: who.email })).id as string;

// Created one after another, so their creation order is this order: a1 a2 a3 b1 b2.
const a1 = await place(ann);
const a2 = await place(ann);
const a3 = await place(ann);
const b1 = await place(bob);
const b2 = await place(bob);
await ann.pay(a1);
await bob.pay(b1);
await ann.query(`mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { id } }`, { id: a2 });
await ann.waitForStatus(a1, 'PAID');
await bob.waitForStatus(b1, 'PAID');
await ann.waitForStatus(a3, 'WAITING_FOR_PAYMENT');
await bob.waitForStatus(b2, 'WAITING_FOR_PAYMENT');

const everyone = [b2, b1, a3, a2, a1];
const mine = { customerId: null } as const;

test('an admin lists every order newest first, and a customer id narrows it to theirs', async () => {
  const all = await list(admin, { first: 100 });
  assert.deepEqual(
    ids(all).filter((id) => everyone.includes(id)),
    everyone,
  );
  const times = all.nodes.map((o) => Date.parse(o.createdAt));
  assert.deepEqual(
    times,
    [...times].sort((x, y) => y - x),
    'newest first',
  );
  const anns = await list(admin, { filter: { customerId: ann.id } });
  assert.deepEqual(ids(anns), [a3, a2, a1]);
  assert.equal(anns.totalCount, 3);
  assert.equal(anns.pageInfo.hasNextPage, false);
});

test('filters: status (one or several), email (any case), and a created range', async () => {
  const scoped = (filter: Record<string, unknown>) => list(admin, { filter: { createdAfter: new Date(0).toISOString(), ...filter } });
  assert.deepEqual(ids(await scoped({ status: ['PAID'] })), [b1, a1]);
  const several = await scoped({ status: ['CANCELLED', 'PAID'] });
  assert.deepEqual(ids(several), [b1, a2, a1]);
  assert.equal(several.totalCount, 3);
  assert.deepEqual(ids(await scoped({ status: ['WAITING_FOR_PAYMENT'], customerId: bob.id })), [b2]);
  assert.deepEqual(ids(await scoped({ email: `  ${bob.email.toUpperCase()} ` })), [b2, b1]);
  assert.deepEqual(ids(await scoped({ email: 'nobody@example.com' })), []);

  const all = await list(admin, { first: 100 });
  const at = (id: string) => all.nodes.find((o) => o.id === id)!.createdAt;
  // createdAfter is inclusive, createdBefore exclusive: [a2, b1) holds a2 and a3.
  const range = await list(admin, { filter: { createdAfter: at(a2), createdBefore: at(b1) } });
  assert.deepEqual(ids(range), [a3, a2]);
  assert.equal(range.totalCount, 2);
});

test('pages follow the cursor without gaps or repeats, with the same totalCount on each', async () => {
  const filter = { customerId: null, status: ['PAID', 'CANCELLED', 'WAITING_FOR_PAYMENT'], createdAfter: new Date(0).toISOString() };
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page: Listed = await list(admin, { first: 2, after, filter });
    assert.equal(page.totalCount, 5);
    seen.push(...ids(page));
    pages++;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, everyone);
  // The same cursor again answers the same page: the list is keyed, not offset.
  const first = await list(admin, { first: 2, filter });
  const second = await list(admin, { first: 2, after: first.pageInfo.endCursor, filter });
  assert.deepEqual(ids(second), [a3, a2]);
});

test('a customer sees only their own orders, even when asking for someone else’s', async () => {
  const own = await list(ann, { first: 100 });
  assert.deepEqual(ids(own), [a3, a2, a1]);
  assert.equal(own.totalCount, 3);
  const sneaky = await list(ann, { filter: { customerId: bob.id } });
  assert.deepEqual(ids(sneaky), [a3, a2, a1]);
  assert.deepEqual(ids(await list(ann, { filter: { email: bob.email } })), []);
  assert.deepEqual(ids(await list(bob, { filter: { ...mine, status: ['PAID'] } })), [b1]);
});

test('no sign-in or an order token is UNAUTHENTICATED; a bad page is BAD_USER_INPUT', async () => {
  await fails(sys.gateway.url, 'UNAUTHENTICATED', LIST, { first: 5 });
  const orderToken = await sys.subgraphs.order.runtime.tokens.sign({ id: a1, role: 'ORDER' });
  await fails(sys.gateway.url, 'UNAUTHENTICATED', LIST, { first: 5 }, orderToken);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', LIST, { first: 101 }, admin.token);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', LIST, { first: 0 }, admin.token);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', LIST, { first: 5, after: 'not-a-cursor' }, admin.token);
  const forged = Buffer.from('t:2020-01-01T00:00:00.000Z').toString('base64url');
  await fails(sys.gateway.url, 'BAD_USER_INPUT', LIST, { first: 5, after: forged }, admin.token);
});

test('the query cost counts first: 100 orders with their items and history are refused, 10 are not', async () => {
  const query = (first: number) => `{ orders(first: ${first}) { nodes { id statusHistory { status at reason }
    items { quantity product { id } unitPrice { amount currency } lineTotal { amount currency } } } } }`;
  await fails(sys.gateway.url, 'QUERY_TOO_COMPLEX', query(100), {}, admin.token);
  const data = await ok(sys.gateway.url, query(10), {}, admin.token);
  assert.ok(data.orders.nodes.length >= 5);
});
