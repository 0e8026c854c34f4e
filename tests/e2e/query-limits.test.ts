// Query limits at the gateway and at a subgraph port reached directly: a query over a limit is a
// 400 QUERY_TOO_COMPLEX naming the limit and nothing runs (no subgraph call, no resolver); the
// app's own queries still work; production hides "Did you mean"; a client's own mistakes keep
// Apollo's code and status.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { test, type TestContext } from 'node:test';
import type { System } from '../../lib/system/system.js';
import { startGateway } from '../../gateway/src/app.js';
import { dropDatabases, testConfig } from '../../lib/testkit/config.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';
import { inventory } from '../../subgraphs/inventory/src/app.js';

const sys: System = await testSystem();
const admin = await logInAdmin(sys);
const ann: Shopper = await signUp(sys, 'Ann');
const product = await createDigitalProduct(admin, 100, 1500);
const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 2 }] });

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, token = ann.token, extra: object = {}): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables, ...extra }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

function assertRefused(answer: Answer, message: RegExp) {
  assert.equal(answer.status, 400, JSON.stringify(answer.body));
  assert.equal(answer.body.data, undefined);
  assert.equal(answer.body.errors?.length, 1, JSON.stringify(answer.body));
  assert.equal(answer.body.errors[0]!.extensions?.code, 'QUERY_TOO_COMPLEX');
  assert.match(answer.body.errors[0]!.message, message);
}

/** Counts the gateway's calls to the subgraphs (undici reports every request it creates). */
function countSubgraphCalls(t: TestContext): { readonly count: number } {
  const origins = new Set(Object.values(sys.subgraphs).map((s) => new URL(s.url).origin));
  const counter = { count: 0 };
  const onRequest = (message: unknown) => {
    if (origins.has((message as { request: { origin: string } }).request.origin)) counter.count++;
  };
  subscribe('undici:request:create', onRequest);
  t.after(() => unsubscribe('undici:request:create', onRequest));
  return counter;
}

/** Order.customer and Customer.orders form a cycle: `orders { customer { … orders { id } } }`, 2n + 2 levels. */
const cycle = (n: number) => `${'orders { customer { '.repeat(n)}orders { id }${' } }'.repeat(n)}`;
// The query: me { orders { customer { orders { … } } } }, 8 levels deep (depth 9 with the id).
const DEEP_CYCLE = `{ me { ${cycle(3)} } }`;
const MY_ORDERS = `{ me { orders { id status items { product { name } quantity } } } }`;
const aliases = (n: number, selection: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

test('the deep cyclic query is refused by its cost before the gateway calls any subgraph', async (t) => {
  const calls = countSubgraphCalls(t);
  const refused = await post(sys.gateway.url, DEEP_CYCLE);
  assertRefused(refused, /^cost \d+ exceeds MAX_QUERY_COST 10000$/);
  assert.equal(calls.count, 0);

  const normal = await post(sys.gateway.url, MY_ORDERS);
  assert.equal(normal.status, 200);
  const [mine] = normal.body.data.me.orders;
  assert.deepEqual(
    { ...mine, status: typeof mine.status },
    { id: placed.id, status: 'string', items: [{ product: { name: placed.items[0].product.name }, quantity: 2 }] },
  );
  assert.ok(calls.count >= 3, `the normal query called the subgraphs (${calls.count})`);
});

test('depth, aliases and tokens are refused by name at the gateway', async () => {
  assertRefused(await post(sys.gateway.url, `{ me { ${cycle(5)} } }`), /^depth 13 exceeds MAX_QUERY_DEPTH 12$/);
  assertRefused(await post(sys.gateway.url, aliases(31, 'me { id }')), /^31 aliases exceed MAX_ALIASES 30$/);
  assert.equal((await post(sys.gateway.url, aliases(30, 'me { id }'))).status, 200);
  // 1,000 aliases of me { orders { id } } are 8,000 tokens: the parser stops at the 2,001st.
  assertRefused(await post(sys.gateway.url, aliases(1000, 'me { orders { id } }')), /^the document has more than MAX_QUERY_TOKENS 2000 tokens$/);
  assertRefused(await post(sys.gateway.url, `{ me { ${'id '.repeat(2500)} } }`), /MAX_QUERY_TOKENS 2000/);
});

test('with tokens to spare, 1,000 aliases are refused by MAX_ALIASES', async (t) => {
  const gateway = await startGateway({ ...sys.config, MAX_QUERY_TOKENS: 100_000 }, { port: 0 });
  t.after(() => gateway.stop());
  const calls = countSubgraphCalls(t);
  assertRefused(await post(gateway.url, aliases(1000, 'me { orders { id } }')), /^1000 aliases exceed MAX_ALIASES 30$/);
  assert.equal(calls.count, 0);
});

test('a subgraph port refuses the same queries itself, and nothing runs', async () => {
  const order = sys.subgraphs.order.url;
  const input = { items: [{ productId: product, quantity: 1 }] };
  // The mutation's resolver would place an order: the refusal comes first.
  assertRefused(
    await post(order, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { customer { ${cycle(2)} } } }`, { input }),
    /^cost \d+ exceeds MAX_QUERY_COST 10000$/,
  );
  assert.equal((await ann.query(`{ me { orders { id } } }`)).me.orders.length, 1);
  assertRefused(await post(order, aliases(31, `order(id: "${placed.id}") { id }`)), /^31 aliases exceed MAX_ALIASES 30$/);
  assertRefused(await post(order, `{ order(id: "x") { customer { ${cycle(5)} } } }`), /^depth 14 exceeds MAX_QUERY_DEPTH 12$/);
  assertRefused(await post(sys.subgraphs.account.url, `{ me { ${'id '.repeat(2500)} } }`), /MAX_QUERY_TOKENS 2000/);
});

test("a subgraph counts _entities by its representations: the gateway's fetches pass, a flood does not", async () => {
  const entities = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name price { amount currency } available } } }`;
  const representations = (n: number) => Array.from({ length: n }, () => ({ __typename: 'Product', id: product }));
  const few = await post(sys.subgraphs.inventory.url, entities, { representations: representations(100) });
  assert.equal(few.status, 200);
  assert.equal(few.body.data?._entities.length, 100);
  // 6 per product (itself, name, price and its 2 fields, available): 2,000 of them cost 12,000.
  assertRefused(await post(sys.subgraphs.inventory.url, entities, { representations: representations(2000) }), /^cost 12000 exceeds MAX_QUERY_COST 10000$/);
});

test("the app's own queries stay within the limits", async () => {
  const storefrontProducts = `query($after: String) { products(first: 20, after: $after) {
    nodes { id name price { amount currency } available } pageInfo { hasNextPage endCursor } } }`;
  const everyOrderField = `{ me { name loyaltyPoints storeCredit { amount } orders { status amountDue { amount } items { quantity product { name available } } payment { status checkoutUrl } } } }`;
  for (const [query, variables] of [
    [storefrontProducts, { after: null }],
    [everyOrderField, {}],
    [`{ products(first: 100) { totalCount nodes { id } } }`, {}],
  ] as const) {
    const answer = await post(sys.gateway.url, query, variables);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body));
  }
});

test("a client's own mistakes keep Apollo's code and status, at the gateway and at a subgraph", async () => {
  for (const url of [sys.gateway.url, sys.subgraphs.order.url]) {
    const twoOperations = await post(url, 'query A { __typename } query B { __typename }');
    assert.equal(twoOperations.status, 400);
    assert.deepEqual(
      twoOperations.body.errors?.map((e) => [e.extensions?.code, e.message]),
      [['OPERATION_RESOLUTION_FAILURE', 'Must provide operation name if query contains multiple operations.']],
    );
    const unknown = await post(url, 'query A { __typename }', {}, ann.token, { operationName: 'B' });
    assert.deepEqual([unknown.status, unknown.body.errors?.[0]?.extensions?.code], [400, 'OPERATION_RESOLUTION_FAILURE']);
    const wrongType = await post(url, 'query($id: ID!) { order(id: $id) { id } }', { id: { not: 'an id' } });
    assert.deepEqual([wrongType.status, wrongType.body.errors?.[0]?.extensions?.code], [400, 'BAD_USER_INPUT']);
    const overHttp = await post(url, `subscription { orderStatusChanged(orderId: "${placed.id}") { id } }`);
    assert.deepEqual([overHttp.status, overHttp.body.errors?.[0]?.extensions?.code], [400, 'BAD_REQUEST']);
    const get = await fetch(`${url}/graphql?query=${encodeURIComponent('mutation { cancelOrder(id: "x") { id } }')}`, {
      headers: { 'apollo-require-preflight': 'x' },
    });
    assert.equal(get.status, 405);
    assert.equal(((await get.json()) as Answer['body']).errors?.[0]?.extensions?.code, 'BAD_REQUEST');
  }
});

test('production hides "Did you mean" at the gateway and at a subgraph', async (t) => {
  const secret = () => randomBytes(24).toString('hex');
  const config = testConfig({
    NODE_ENV: 'production',
    JWT_SECRET: secret(),
    SERVICE_TOKEN: secret(),
    METRICS_TOKEN: secret(),
    ADMIN_EMAIL: 'ops@example.com',
    ADMIN_PASSWORD: secret(),
    STRIPE_WEBHOOK_SECRET: `whsec_${secret()}`,
    STRIPE_EMULATOR_URL: 'http://127.0.0.1:9',
  });
  const subgraph = await inventory.start(config, { port: 0 });
  t.after(async () => {
    await subgraph.stop();
    await dropDatabases(config);
  });
  const gateway = await startGateway(config, { port: 0, subgraphUrls: { inventory: subgraph.url } });
  t.after(() => gateway.stop());
  for (const url of [gateway.url, subgraph.url]) {
    const [development, production] = await Promise.all([post(sys.gateway.url, '{ prodcts { totalCount } }'), post(url, '{ prodcts { totalCount } }', {}, '')]);
    assert.match(development.body.errors?.[0]?.message ?? '', /Did you mean "products"/);
    assert.equal(production.status, 400);
    assert.equal(production.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(production.body.errors?.[0]?.message ?? '', /^Cannot query field "prodcts" on type "Query"\./);
    assert.doesNotMatch(production.body.errors?.[0]?.message ?? '', /Did you mean|products"/);
  }
});
