// Live order status through the gateway over graphql-ws: the current state, then every
// transition once and in order with federated fields resolved per push, then completion; who may
// follow what; bad documents and limits; two gateways on one broker (a cut broker connection is
// the order subgraph's to survive: subgraphs/order/test/live-status.test.ts).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { System } from '../../lib/system/system.js';
import { waitFor } from '../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../lib/testkit/story.js';
import { freePort } from '../../lib/platform/net.js';
import { testSystem } from '../../lib/testkit/system.js';
import { startGateway } from '../src/app.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const LIFE = ['PENDING', 'WAITING_FOR_PAYMENT', 'PAID', 'FINISHED'];

const FOLLOW = `subscription Follow($id: ID!) {
  order: orderStatusChanged(orderId: $id) {
    id status now: status
    statusHistory { status }
    payment { status checkoutUrl }
    customer { loyaltyPoints }
    items { quantity product { name available } }
  }
}`;

interface Recording {
  results: Record<string, any>[];
  error?: any;
  /** Resolves with how the subscription ended. */
  ended: Promise<'complete' | 'error'>;
}

/** A lazy client (socket opens with the first subscription, closes after the last) unless `on` is given. */
function connect(t: TestContext, gatewayUrl: string, token?: string, on?: { connected?: () => void }): Client {
  const client = createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    ...(on ? { on, lazy: false } : {}),
  });
  t.after(() => client.dispose());
  return client;
}

function follow(client: Client, orderId: string, query = FOLLOW): Recording {
  let settle!: (how: 'complete' | 'error') => void;
  const rec: Recording = { results: [], ended: new Promise((r) => (settle = r)) };
  client.subscribe(
    { query, variables: { id: orderId } },
    {
      next: (result) => void rec.results.push(result),
      error: (err) => {
        rec.error = err;
        settle('error');
      },
      complete: () => settle('complete'),
    },
  );
  return rec;
}

const statuses = (rec: Recording) => rec.results.map((r) => r.data?.order?.status);
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref())]);

/** The statuses are the order's life from its first push on: no gap, no repeat, nothing after FINISHED. */
function assertTail(rec: Recording, first: string[] = ['PENDING', 'WAITING_FOR_PAYMENT']) {
  const seen = statuses(rec);
  assert.ok(first.includes(seen[0]), `first push ${seen[0]}: ${JSON.stringify(seen)}`);
  assert.deepEqual(seen, LIFE.slice(LIFE.indexOf(seen[0])), JSON.stringify(rec.results, null, 1));
  for (const r of rec.results) {
    const o = r.data.order;
    // Each push carries the transition that caused it, never a later one.
    assert.deepEqual(
      o.statusHistory.map((h: { status: string }) => h.status),
      LIFE.slice(0, LIFE.indexOf(o.status) + 1),
    );
    assert.equal(o.now, o.status);
    assert.deepEqual(Object.keys(o).sort(), ['customer', 'id', 'items', 'now', 'payment', 'status', 'statusHistory']);
    assert.equal(r.errors, undefined);
  }
}

async function placeOrder(shopper: Shopper, quantity = 1) {
  const product = await createDigitalProduct(admin, 10, 1500);
  return shopper.placeOrder({ items: [{ productId: product, quantity }] });
}

test('a customer follows an order from placement to FINISHED, fields resolved as of each push, then it completes', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann, 2);
  const rec = follow(connect(t, sys.gateway.url, ann.token), placed.id);

  await waitFor(() => statuses(rec).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT pushed');
  await ann.pay(placed.id);
  assert.equal(await within(rec.ended, 20_000, 'completion'), 'complete');
  assertTail(rec);

  const byStatus = Object.fromEntries(rec.results.map((r) => [r.data.order.status, r.data.order]));
  assert.equal(byStatus.WAITING_FOR_PAYMENT.payment.status, 'OPEN');
  assert.match(byStatus.WAITING_FOR_PAYMENT.payment.checkoutUrl, /\/pay\/cs_test_/);
  assert.equal(byStatus.PAID.payment.status, 'SUCCEEDED');
  assert.equal(byStatus.FINISHED.items[0].quantity, 2);
  assert.equal(byStatus.FINISHED.items[0].product.available, 8);
  assert.match(byStatus.FINISHED.items[0].product.name, /^Product T-/);
  assert.equal(typeof byStatus.FINISHED.customer.loyaltyPoints, 'number');
});

test("a push carries the payment's link itself: a gateway that cannot reach the payment subgraph still pushes it", async (t) => {
  // Nothing listens at this gateway's payment address: only what the order subgraph provides arrives.
  const blind = await startGateway(sys.config, { port: 0, subgraphUrls: { payment: `http://127.0.0.1:${await freePort()}` } });
  t.after(() => blind.stop());
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann);
  const client = connect(t, blind.url, ann.token);
  const link = follow(
    client,
    placed.id,
    `subscription($id: ID!) { order: orderStatusChanged(orderId: $id) { status payment { id stripeCheckoutSessionId checkoutUrl } } }`,
  );
  const unprovided = follow(client, placed.id, `subscription($id: ID!) { order: orderStatusChanged(orderId: $id) { status payment { status } } }`);

  await waitFor(() => statuses(link).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT pushed');
  await ann.pay(placed.id);
  assert.equal(await within(link.ended, 20_000, 'completion'), 'complete');
  const { order } = await ann.query(`query($id: ID!) { order(id: $id) { payment { id stripeCheckoutSessionId checkoutUrl } } }`, { id: placed.id });
  const paid = link.results.filter((r) => r.data?.order?.status !== 'PENDING');
  assert.deepEqual(
    paid.map((r) => r.data.order.status),
    ['WAITING_FOR_PAYMENT', 'PAID', 'FINISHED'],
  );
  for (const r of paid) {
    assert.equal(r.errors, undefined);
    assert.deepEqual(r.data.order.payment, order.payment, 'the link as the payment subgraph has it');
  }
  // Payment's other fields still come from the payment subgraph, which this gateway cannot reach.
  assert.ok(
    unprovided.results.some((r) => r.errors?.length && r.data?.order?.payment === null),
    JSON.stringify(unprovided.results),
  );
});

test('an order that knows no payment pushes payment: null, never half a Payment, whatever else is selected', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann);
  await ann.pay(placed.id);
  await ann.waitForStatus(placed.id, 'FINISHED');
  // As if payment.succeeded had overtaken payment.checkout_created: the payment exists, the order has no link.
  await sys.subgraphs.order.runtime.db.manager.query('UPDATE orders SET payment_id = NULL, checkout_session_id = NULL, checkout_url = NULL WHERE id = ?', [
    placed.id,
  ]);
  const rec = follow(
    connect(t, sys.gateway.url, ann.token),
    placed.id,
    `subscription($id: ID!) { order: orderStatusChanged(orderId: $id) { status payment { id status checkoutUrl } } }`,
  );
  assert.equal(await within(rec.ended, 10_000, 'completion'), 'complete');
  assert.deepEqual(rec.results, [{ data: { order: { status: 'FINISHED', payment: null } } }]);
});

test('an order already finished sends its final state and completes at once', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann);
  await ann.pay(placed.id);
  await ann.waitForStatus(placed.id, 'FINISHED');
  const rec = follow(connect(t, sys.gateway.url, ann.token), placed.id);
  assert.equal(await within(rec.ended, 10_000, 'completion'), 'complete');
  assert.deepEqual(statuses(rec), ['FINISHED']);
  assertTail(rec, ['FINISHED']);
});

test('another customer and anonymous clients cannot follow an order and learn nothing; an admin can', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const bob = await signUp(sys, 'Bob');
  const placed = await placeOrder(ann);

  const notYours = follow(connect(t, sys.gateway.url, bob.token), placed.id);
  const missing = follow(connect(t, sys.gateway.url, bob.token), '00000000-0000-4000-8000-000000000000');
  const anonymous = follow(connect(t, sys.gateway.url), placed.id);
  const forged = follow(connect(t, sys.gateway.url, 'not-a-jwt'), placed.id);
  for (const rec of [notYours, missing, anonymous, forged]) assert.equal(await within(rec.ended, 10_000, 'refusal'), 'error');

  assert.equal(notYours.error[0].extensions.code, 'NOT_FOUND');
  assert.deepEqual(notYours.error, missing.error, 'someone else’s order reads exactly like a missing one');
  assert.equal(anonymous.error[0].extensions.code, 'UNAUTHENTICATED');
  assert.equal(forged.error[0].extensions.code, 'UNAUTHENTICATED');
  for (const rec of [notYours, missing, anonymous, forged]) {
    assert.deepEqual(rec.results, []);
    assert.doesNotMatch(JSON.stringify(rec.error), new RegExp(placed.id));
  }

  const asAdmin = follow(connect(t, sys.gateway.url, admin.token), placed.id);
  await waitFor(() => asAdmin.results.length > 0, 'the admin gets the current state');
  assert.equal(asAdmin.results[0]!.data.order.id, placed.id);
});

test('a bad document gets a GraphQL error and the same socket still serves a good subscription', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann);
  let connections = 0;
  const client = connect(t, sys.gateway.url, ann.token, { connected: () => void connections++ });

  const invalid = follow(client, placed.id, `subscription($id: ID!) { orderStatusChanged(orderId: $id) { nope } }`);
  const unparsable = follow(client, placed.id, `subscription { orderStatusChanged(`);
  const query = follow(client, placed.id, `query($id: ID!) { order(id: $id) { id } }`);
  for (const rec of [invalid, unparsable, query]) assert.equal(await within(rec.ended, 10_000, 'the error'), 'error');
  assert.equal(invalid.error[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(invalid.error[0].message, /nope/);
  assert.equal(unparsable.error[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
  assert.equal(query.error[0].extensions.code, 'BAD_USER_INPUT');

  const good = follow(client, placed.id);
  await waitFor(() => good.results.length > 0, 'the current state on the same socket');
  assert.equal(good.results[0]!.data.order.id, placed.id);
  assert.equal(connections, 1);
});

test('at most 20 subscriptions per connection', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann);
  const client = connect(t, sys.gateway.url, ann.token);
  const recs = Array.from({ length: 21 }, () => follow(client, placed.id));
  await waitFor(() => recs.filter((r) => r.results.length > 0 || r.error).length === 21, 'every subscription answered');
  const refused = recs.filter((r) => r.error);
  assert.equal(refused.length, 1);
  assert.equal(refused[0]!.error[0].extensions.code, 'BAD_USER_INPUT');
  assert.match(refused[0]!.error[0].message, /At most 20/);
});

test('two gateway instances on one broker: each subscriber gets each change once', async (t) => {
  const second = await startGateway(sys.config, { port: 0 });
  t.after(() => second.stop());
  const ann = await signUp(sys, 'Ann');
  const placed = await placeOrder(ann);
  const one = follow(connect(t, sys.gateway.url, ann.token), placed.id);
  const two = follow(connect(t, second.url, ann.token), placed.id);
  const twoAgain = follow(connect(t, second.url, admin.token), placed.id);

  await waitFor(() => [one, two, twoAgain].every((r) => statuses(r).includes('WAITING_FOR_PAYMENT')), 'WAITING_FOR_PAYMENT on both gateways');
  await ann.pay(placed.id);
  for (const rec of [one, two, twoAgain]) {
    assert.equal(await within(rec.ended, 20_000, 'completion'), 'complete');
    assertTail(rec);
  }
});
