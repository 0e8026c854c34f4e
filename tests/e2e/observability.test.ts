// One checkout is one trace, from placeOrder through Stripe's webhook to FINISHED; every response
// carries its trace id; /metrics moves; readiness follows the database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { System } from '../../lib/system/system.js';
import { subgraphFactories } from '../../lib/system/system.js';
import { dropDatabases, onMariaDb, testConfig } from '../../lib/testkit/config.js';
import { startFaultProxy } from '../../lib/testkit/fault-proxy.js';
import { gql, waitFor } from '../../lib/testkit/graphql.js';
import { ORDER_FIELDS, createDigitalProduct, logInAdmin, signUp } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';
import { addSpanProcessor } from '../../lib/platform/observability/telemetry.js';

const sys: System = await testSystem();
const exporter = new InMemorySpanExporter();
addSpanProcessor(new SimpleSpanProcessor(exporter));

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const service = (s: ReadableSpan) => s.attributes['checkout.service'];

test('a checkout is one trace, parent to child, and the response carries its id', async () => {
  const admin = await logInAdmin(sys);
  const product = await createDigitalProduct(admin, 5, 800);
  const ann = await signUp(sys, 'Ann');
  const res = await gql(
    sys.gateway.url,
    `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`,
    { input: { items: [{ productId: product, quantity: 1 }] } },
    ann.token,
  );
  const traceId = res.extensions?.traceId as string;
  assert.match(traceId, /^[0-9a-f]{32}$/, JSON.stringify(res));
  const orderId = res.data!.placeOrder.id as string;
  await ann.pay(orderId);
  await ann.waitForStatus(orderId, 'FINISHED');
  await new Promise((r) => setTimeout(r, 200));

  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const find = (name: string | RegExp, svc?: string) => {
    const s = spans.find((x) => (typeof name === 'string' ? x.name === name : name.test(x.name)) && (!svc || service(x) === svc));
    assert.ok(s, `no span ${name} (${svc ?? 'any'}) in the trace; have:\n${spans.map((x) => `${service(x)}: ${x.name}`).join('\n')}`);
    return s;
  };
  const chain = (s: ReadableSpan): string[] => {
    const names = [];
    for (let cur: ReadableSpan | undefined = s; cur; cur = byId.get(parentOf(cur) ?? '')) names.push(`${service(cur)}: ${cur.name}`);
    return names;
  };
  const root = find(/^POST \/graphql/, 'gateway');
  const expected = [
    find(/^POST \/graphql/, 'order'),
    find('consume order.created', 'payment'),
    find('stripe checkout.sessions.create', 'payment'),
    find('consume order.created', 'inventory'),
    find('stripe webhook checkout.session.completed', 'payment'),
    find('consume payment.succeeded', 'order'),
    find('consume order.paid', 'inventory'),
    find('consume order.paid', 'account'),
    find('fulfilment ship', 'inventory'),
    find('consume fulfilment.shipped', 'order'),
  ];
  for (const s of expected) {
    const names = chain(s);
    assert.equal(names.at(-1), `gateway: ${root.name}`, `every span descends from placeOrder's request: ${names.join(' ← ')}`);
  }
  // Parent before child: the webhook continues the trace stored when the session was created.
  assert.ok(chain(find('consume fulfilment.shipped', 'order')).some((n) => n.includes('stripe webhook')));
});

test('errors carry the trace id too', async () => {
  const res = await gql(sys.gateway.url, `mutation { placeOrder(input: { items: [] }) { id } }`);
  assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  assert.match(String(res.extensions?.traceId), /^[0-9a-f]{32}$/);
});

test('/metrics on every service moves after a checkout', async () => {
  const read = async (url: string) => (await fetch(`${url}/metrics`)).text();
  const order = await read(sys.subgraphs.order.url);
  assert.match(order, /order_status_transitions_total\{[^}]*status="FINISHED"[^}]*\} [1-9]/);
  assert.match(order, /graphql_operations_total\{[^}]*operation="[^"]*"[^}]*\} [1-9]/);
  assert.match(order, /outbox_pending_events\{[^}]*\} \d/);
  assert.match(order, /outbox_oldest_pending_age_seconds/);
  const payment = await read(sys.subgraphs.payment.url);
  assert.match(payment, /stripe_webhook_events_total\{[^}]*type="checkout.session.completed"[^}]*outcome="applied"[^}]*\} [1-9]/);
  for (const s of [sys.subgraphs.account, sys.subgraphs.inventory]) assert.match(await read(s.url), /consumer_dead_lettered_total|consumer_retries_total/);
  assert.match(await read(sys.gateway.url), /graphql_open_subscriptions/);
});

test('health: live and ready on every service port', async () => {
  for (const url of [sys.gateway.url, ...Object.values(sys.subgraphs).map((s) => s.url)]) {
    assert.equal((await fetch(`${url}/health/live`)).status, 200, url);
    assert.equal((await fetch(`${url}/health/ready`)).status, 200, url);
  }
});

test('MariaDB: readiness turns false while the database connection is cut, and true when it is back', { skip: !onMariaDb && 'needs MariaDB' }, async () => {
  const db = new URL(process.env.DATABASE_URL!);
  const proxy = await startFaultProxy(db.hostname, Number(db.port || 3306));
  const config = testConfig({ DATABASE_URL: `mysql://${db.username}${db.password ? `:${db.password}` : ''}@127.0.0.1:${proxy.port}`, DB_POOL_SIZE: '2' });
  const inventory = await subgraphFactories.inventory.start(config, { port: 0 });
  try {
    const ready = async () => (await fetch(`${inventory.url}/health/ready`)).status;
    assert.equal(await ready(), 200);
    proxy.cut();
    await waitFor(async () => (await ready()) === 503, 'readiness to turn false', 20_000);
    proxy.restore();
    await waitFor(async () => (await ready()) === 200, 'readiness to come back', 30_000);
  } finally {
    await inventory.stop();
    await proxy.stop();
    await dropDatabases({ ...config, DATABASE_URL: process.env.DATABASE_URL });
  }
});
