// Outbound webhooks, end to end: a receiver on this machine gets the public events signed with
// its endpoint's secret, failures are retried with growing delays and logged, a delivery outlives
// a restart of the order service, and only admins manage any of it.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { loadConfig } from '../../../lib/platform/config.js';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { order } from '../src/app.js';
import { createWebhookEndpoint } from '../src/use-cases/webhook-endpoints.js';

const sys: System = await testSystem({ WEBHOOK_RETRY_BASE_DELAY: '100ms', FULFILMENT_DELAY_MS: '0' });
const admin: Shopper = await logInAdmin(sys);

interface Received {
  path: string;
  signature: string;
  body: string;
}

/** A receiver that answers each request on a path with the next of its planned statuses (200 once they run out). */
const received: Received[] = [];
const plans = new Map<string, number[]>();
const receiver: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const path = req.url ?? '';
    received.push({ path, signature: String(req.headers['checkout-signature'] ?? ''), body });
    res.writeHead(plans.get(path)?.shift() ?? 200).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
after(() => new Promise<void>((r) => receiver.close(() => r())));
const hookUrl = (path: string) => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${path}`;

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url events createdAt } } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(endpointId: $id) { nodes { id eventId eventType status attempts lastAttemptAt responseStatus } pageInfo { hasNextPage } } }`;

async function endpoint(path: string, events = ['order.paid'], statuses: number[] = []) {
  plans.set(path, statuses);
  return (await admin.query(CREATE, { input: { url: hookUrl(path), events } })).createWebhookEndpoint as { secret: string; endpoint: { id: string } };
}

async function paidOrder(name: string) {
  const product = await createDigitalProduct(admin, 10, 1200);
  const shopper = await signUp(sys, name);
  const placed = await shopper.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const waiting = await shopper.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  await sys.emulator!.pay(waiting.payment.stripeCheckoutSessionId);
  return placed.id as string;
}

const deliveriesOf = async (endpointId: string) => (await admin.query(DELIVERIES, { id: endpointId })).webhookDeliveries.nodes as any[];
const at = (path: string, type: string, orderId: string) =>
  received.filter((r) => r.path === path && JSON.parse(r.body).type === type && JSON.parse(r.body).data.orderId === orderId);

function assertSigned(r: Received, secret: string) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature);
  assert.ok(m, `a Checkout-Signature header: ${r.signature}`);
  assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 60, 'signed just now');
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest();
  assert.ok(timingSafeEqual(Buffer.from(m[2]!, 'hex'), expected), 'HMAC-SHA256 of "t.body" with the endpoint secret');
}

test('a receiver gets order.paid and order.finished, signed with its endpoint secret; redelivery sends it again', async () => {
  const { secret, endpoint: ep } = await endpoint('/paid', ['order.paid', 'order.finished']);
  assert.match(secret, /^whsec_[0-9a-f]{48}$/);
  const orderId = await paidOrder('Ada');
  const [paid] = await waitFor(async () => (at('/paid', 'order.paid', orderId).length ? at('/paid', 'order.paid', orderId) : null), 'order.paid delivered');
  assertSigned(paid!, secret);
  const event = JSON.parse(paid!.body);
  assert.deepEqual(Object.keys(event).sort(), ['createdAt', 'data', 'id', 'type']);
  assert.equal(event.data.amountDue, 1200);
  await waitFor(async () => at('/paid', 'order.finished', orderId).length === 1, 'order.finished delivered');
  assertSigned(at('/paid', 'order.finished', orderId)[0]!, secret);
  const paidLog = await waitFor(async () => (await deliveriesOf(ep.id)).find((d) => d.eventType === 'order.paid' && d.status === 'DELIVERED'), 'logged');
  assert.equal(paidLog.eventId, event.id);
  assert.equal(paidLog.attempts, 1);
  assert.equal(paidLog.responseStatus, 200);
  const listed = (await admin.query(`{ webhookEndpoints { id url events } }`)).webhookEndpoints;
  assert.ok(listed.some((e: any) => e.id === ep.id && e.events.join() === 'order.paid,order.finished'));
  // Redelivered on request: the same event (id) once more.
  await admin.query(`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }`, { id: paidLog.id });
  await waitFor(async () => at('/paid', 'order.paid', orderId).length === 2, 'redelivered');
  assert.equal(JSON.parse(at('/paid', 'order.paid', orderId)[1]!.body).id, event.id);
});

test('a receiver failing twice then answering 200 gets the event three times, and the log shows three attempts', async () => {
  const { secret, endpoint: ep } = await endpoint('/flaky', ['order.paid'], [500, 503]);
  const orderId = await paidOrder('Bo');
  await waitFor(async () => at('/flaky', 'order.paid', orderId).length === 3, 'three attempts');
  const attempts = at('/flaky', 'order.paid', orderId);
  assert.equal(new Set(attempts.map((a) => a.body)).size, 1, 'every attempt is the same event');
  for (const a of attempts) assertSigned(a, secret);
  const [log] = await waitFor(async () => {
    const d = await deliveriesOf(ep.id);
    return d[0]?.status === 'DELIVERED' ? d : null;
  }, 'delivered');
  assert.equal(log.attempts, 3);
  assert.equal(log.responseStatus, 200);
  assert.ok(log.lastAttemptAt);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(at('/flaky', 'order.paid', orderId).length, 3, 'nothing after the success');
});

test('only admins manage webhooks; URLs must be http(s) and events known; production refuses private addresses', async () => {
  const customer = await signUp(sys, 'Cy');
  const denied = await customer.raw(CREATE, { input: { url: hookUrl('/x'), events: ['order.paid'] } });
  assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.equal((await customer.raw(`{ webhookEndpoints { id } }`)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
  for (const input of [
    { url: 'ftp://example.com/hook', events: ['order.paid'] },
    { url: hookUrl('/x'), events: ['order.shipped'] },
  ]) {
    assert.equal((await admin.raw(CREATE, { input })).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  }
  const { endpoint: ep } = await endpoint('/gone');
  assert.equal((await customer.raw(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: ep.id })).errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.equal((await admin.query(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: ep.id })).deleteWebhookEndpoint, true);
  assert.ok(!(await admin.query(`{ webhookEndpoints { id } }`)).webhookEndpoints.some((e: any) => e.id === ep.id));
  // The production rule, on the use case itself: nothing is written for a refused URL.
  const transact = () => assert.fail('nothing may be written');
  const production = { ...loadConfig({}), NODE_ENV: 'production' as const };
  for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'https://10.1.2.3/', 'http://[::1]/', 'http://192.168.1.20/']) {
    await assert.rejects(
      createWebhookEndpoint({ db: null as never, transact, config: production }, { actorId: admin.id, url, events: ['order.paid'] }),
      (err: any) => {
        assert.equal(err.extensions?.code, 'BAD_USER_INPUT', url);
        return true;
      },
    );
  }
  let wrote = false;
  const allowed = { ...production, WEBHOOK_ALLOW_PRIVATE: true };
  await createWebhookEndpoint(
    { db: null as never, transact: (async () => (wrote = true)) as never, config: allowed },
    { actorId: admin.id, url: 'http://127.0.0.1:9/', events: ['order.paid'] },
  );
  assert.ok(wrote, 'WEBHOOK_ALLOW_PRIVATE=true lets it through');
});

// Last: it restarts the order service.
test('a delivery survives a restart of the order service between attempts', async () => {
  const { endpoint: ep } = await endpoint('/restart', ['order.paid'], [503]);
  const orderId = await paidOrder('Di');
  await waitFor(async () => at('/restart', 'order.paid', orderId).length === 1, 'the first attempt');
  await sys.subgraphs.order.stop();
  const before = at('/restart', 'order.paid', orderId).length;
  await new Promise((r) => setTimeout(r, 400)); // its retry falls due while nobody runs
  assert.equal(at('/restart', 'order.paid', orderId).length, before, 'nothing is sent while the service is down');
  const restarted = await order.start({ ...sys.config, HOST: '127.0.0.1' }, { port: sys.config.ORDER_PORT });
  sys.subgraphs.order = restarted;
  after(() => restarted.stop());
  await waitFor(async () => at('/restart', 'order.paid', orderId).length === 2, 'the retry after the restart');
  const [log] = await waitFor(async () => {
    const d = await deliveriesOf(ep.id);
    return d[0]?.status === 'DELIVERED' ? d : null;
  }, 'delivered');
  assert.equal(log.attempts, 2);
});
