// The order subgraph serves Subscription.orderStatusChanged itself, over graphql-ws and graphql-sse
// on its own /graphql, so any federation gateway can route the subscription to it: the current
// state first, then each later transition once and in order, completion at FINISHED; someone
// else's order reads as a missing one; an order token follows its own order; a late
// payment.checkout_created still leaves the payment's link, which the pushes then carry.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { lifeFrom, ORDER_LIFE, pushedStatuses, subscribeOver, within, type Transport } from '../../../lib/testkit/live.js';
import { createDigitalProduct, logInAdmin, signUp } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { onRabbitMq } from '../../../lib/testkit/config.js';
import { startFaultProxy } from '../../../lib/testkit/fault-proxy.js';
import { order } from '../src/app.js';

const sys: System = await testSystem();
const admin = await logInAdmin(sys);
const orderUrl = sys.subgraphs.order.url;
const FOLLOW = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status statusHistory { status } items { quantity } amountDue { amount } } }`;

for (const transport of ['graphql-ws', 'graphql-sse'] as Transport[]) {
  test(`${transport}: the subgraph pushes each transition once, in order, as of that transition, then completes`, async (t) => {
    const ann = await signUp(sys, 'Ann');
    const product = await createDigitalProduct(admin, 10, 1500);
    const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 2 }] });
    const rec = subscribeOver(transport, { url: orderUrl, token: ann.token, query: FOLLOW, variables: { id: placed.id } });
    t.after(rec.stop);
    await waitFor(() => pushedStatuses(rec.results).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT pushed');
    await ann.pay(placed.id);
    assert.equal(await within(rec.ended, 20_000, 'completion'), 'complete');
    const seen = pushedStatuses(rec.results);
    assert.deepEqual(seen, lifeFrom(seen[0]));
    for (const { data } of rec.results) {
      const o = data.orderStatusChanged;
      assert.deepEqual(
        o.statusHistory.map((h: { status: string }) => h.status),
        ORDER_LIFE.slice(0, ORDER_LIFE.indexOf(o.status) + 1),
      );
      assert.equal(o.items[0].quantity, 2);
    }
  });

  test(`${transport}: someone else's order is NOT_FOUND like a missing one; no token is UNAUTHENTICATED; an order token follows its order`, async (t) => {
    const ann = await signUp(sys, 'Ann');
    const bob = await signUp(sys, 'Bob');
    const product = await createDigitalProduct(admin, 10, 1500);
    const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
    const follow = (id: string, token?: string) => {
      const rec = subscribeOver(transport, { url: orderUrl, token, query: FOLLOW, variables: { id } });
      t.after(rec.stop);
      return rec;
    };
    const notYours = follow(placed.id, bob.token);
    const missing = follow('00000000-0000-4000-8000-000000000000', bob.token);
    const anonymous = follow(placed.id);
    for (const rec of [notYours, missing, anonymous]) assert.equal(await within(rec.ended, 10_000, 'refusal'), 'error');
    assert.equal(notYours.error[0].extensions.code, 'NOT_FOUND');
    assert.deepEqual(notYours.error, missing.error);
    assert.equal(anonymous.error[0].extensions.code, 'UNAUTHENTICATED');
    assert.doesNotMatch(JSON.stringify(notYours.error), new RegExp(placed.id));

    // A guest's order token (what checkoutCart hands out) follows that one order.
    const orderToken = await sys.subgraphs.order.runtime.tokens.sign({ id: placed.id, role: 'ORDER' });
    const asGuest = follow(placed.id, orderToken);
    await waitFor(() => asGuest.results.length > 0, 'the order token gets the current state');
    assert.equal(asGuest.results[0]!.data.orderStatusChanged.id, placed.id);
  });
}

test("a transition this instance commits is pushed at once, before the broker's copy arrives", async (t) => {
  const ann = await signUp(sys, 'Ann');
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const rec = subscribeOver('graphql-ws', { url: orderUrl, token: ann.token, query: FOLLOW, variables: { id: placed.id } });
  t.after(rec.stop);
  await waitFor(() => pushedStatuses(rec.results).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT pushed');

  // Hold this order's status events on their way to the broker: only the in-process hand-off is left.
  const broker = sys.subgraphs.order.runtime.broker;
  const publish = broker.publish;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  broker.publish = async (events) => {
    if (events.some((e) => e.type === 'order.status_changed' && e.aggregateId === placed.id)) await released;
    return publish.call(broker, events);
  };
  t.after(() => {
    broker.publish = publish;
    release();
  });

  await ann.query(`mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { id } }`, { id: placed.id });
  assert.equal(await within(rec.ended, 20_000, 'completion while the broker copy is held'), 'complete');
  assert.deepEqual(pushedStatuses(rec.results).slice(-1), ['CANCELLED']);
});

test("RabbitMQ: the subgraph's broker connection cut and restored mid-subscription", { skip: !onRabbitMq && 'needs RabbitMQ' }, async (t) => {
  const amqpUrl = sys.config.AMQP_URL!;
  const rabbit = new URL(amqpUrl);
  const proxy = await startFaultProxy(rabbit.hostname, Number(rabbit.port || 5672));
  const instance = await order.start({ ...sys.config, AMQP_URL: proxy.via(amqpUrl) }, { port: 0 }).catch(async (err) => {
    await proxy.stop();
    throw err;
  });
  t.after(async () => {
    await instance.stop(); // before the proxy, or it would start reconnecting on the way out
    await proxy.stop();
  });

  const ann = await signUp(sys, 'Ann');
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const rec = subscribeOver('graphql-ws', { url: instance.url, token: ann.token, query: FOLLOW, variables: { id: placed.id } });
  t.after(rec.stop);
  await waitFor(() => pushedStatuses(rec.results).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT pushed');

  proxy.cut();
  await ann.pay(placed.id);
  await ann.waitForStatus(placed.id, 'FINISHED'); // PAID and FINISHED were published while cut off
  assert.ok(!pushedStatuses(rec.results).includes('PAID'), 'nothing can arrive while the connection is cut');
  proxy.restore();

  assert.equal(await within(rec.ended, 30_000, 'completion after the reconnect'), 'complete');
  assert.deepEqual(pushedStatuses(rec.results).slice(-2), ['PAID', 'FINISHED']);
});

test("an order that moved on before it kept its payment's link gets it from a late payment.checkout_created, and pushes it", async (t) => {
  const ann = await signUp(sys, 'Ann');
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  await ann.pay(placed.id);
  await ann.waitForStatus(placed.id, 'FINISHED');
  const { order: paid } = await ann.query(`query($id: ID!) { order(id: $id) { status payment { id stripeCheckoutSessionId checkoutUrl } } }`, {
    id: placed.id,
  });
  assert.ok(paid.payment.stripeCheckoutSessionId);
  // As an order paid before the order subgraph kept payment links (the payment migration announces those again).
  const { runtime } = sys.subgraphs.order;
  await runtime.db.manager.query('UPDATE orders SET payment_id = NULL, checkout_session_id = NULL, checkout_url = NULL WHERE id = ?', [placed.id]);
  const linkOf = async () => {
    const [row] = await runtime.db.manager.query('SELECT payment_id, checkout_session_id, checkout_url FROM orders WHERE id = ?', [placed.id]);
    return row.payment_id ? { id: row.payment_id, stripeCheckoutSessionId: row.checkout_session_id, checkoutUrl: row.checkout_url } : null;
  };
  assert.equal(await linkOf(), null);
  const { id, stripeCheckoutSessionId, checkoutUrl } = paid.payment;
  await runtime.broker.publish([
    {
      id: randomUUID(),
      type: 'payment.checkout_created',
      occurredAt: new Date().toISOString(),
      aggregateId: placed.id,
      sequence: 0,
      traceparent: null,
      data: { orderId: placed.id, paymentId: id, sessionId: stripeCheckoutSessionId, checkoutUrl },
    },
  ]);
  await waitFor(async () => (await linkOf()) !== null, 'the link kept');
  assert.deepEqual(await linkOf(), paid.payment);

  const rec = subscribeOver('graphql-ws', {
    url: orderUrl,
    token: ann.token,
    query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status statusHistory { status } payment { id stripeCheckoutSessionId checkoutUrl } } }`,
    variables: { id: placed.id },
  });
  t.after(rec.stop);
  await waitFor(() => pushedStatuses(rec.results).includes('FINISHED'), 'FINISHED pushed');
  const last = rec.results.at(-1)!.data.orderStatusChanged;
  assert.deepEqual(last.payment, paid.payment);
  assert.deepEqual(
    last.statusHistory.map((h: { status: string }) => h.status),
    ORDER_LIFE,
    'the late event moved nothing',
  );
});
