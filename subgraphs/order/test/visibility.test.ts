// Who sees which orders, in one federated query answered by all four subgraphs, without N+1:
// orders are written straight into the order database (and their payments into the payment
// database) or placed through placeOrder.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { SERVICES, type ServiceName } from '../../../lib/platform/config.js';
import { fails, gql, withoutTraceId } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { PaymentEntity, type PaymentRow, type PaymentStatus } from '../../payment/src/persistence/entities.js';
import { OrderEntity, OrderItemEntity, OrderStatusChangeEntity, type OrderRow } from '../src/persistence/entities.js';
import type { OrderStatus } from '../../../lib/contracts/events.js';

// Background jobs kept quiet (no sweeper, the fulfilment worker at its slowest) so that statement
// counts measure the queries; nothing here needs an order to ship or expire.
const sys: System = await testSystem({ SWEEP_INTERVAL: '1h', FULFILMENT_DELAY_MS: '60000' });
const url = sys.gateway.url;
const admin: Shopper = await logInAdmin(sys);
const mug = await createDigitalProduct(admin, 100, 1250);
const pen = await createDigitalProduct(admin, 100, 300);

const ME_ORDERS = `{ me { name orders { id status amountDue { amount } items { quantity product { name available } } payment { status } } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status customer { id } items { quantity product { name } } payment { status } } }`;

interface Written {
  id: string;
  status: OrderStatus;
  amountDue: number;
  payment: PaymentStatus | null;
}

/**
 * Writes n orders of one customer straight into the order database, two lines each (mug ×1, pen ×2),
 * newest first by index, with a payment row in the payment database when paymentStatus is given.
 */
async function writeOrders(customerId: string, n: number, status: OrderStatus, paymentStatus: PaymentStatus | null): Promise<Written[]> {
  const base = Date.now() - 60_000;
  const orders: OrderRow[] = Array.from({ length: n }, (_, i) => {
    const at = new Date(base - i * 1000);
    return {
      id: randomUUID(),
      customerId,
      guest: false,
      status,
      subtotal: 1850,
      discount: 0,
      shipping: 0,
      tax: 0,
      taxIncluded: false,
      storeCreditApplied: 0,
      amountDue: 1850,
      currency: 'USD',
      couponCode: null,
      email: null,
      shippingAddress: null,
      billingAddress: null,
      shippingMethodCode: null,
      shippingMethodName: null,
      cancellationReason: null,
      paymentProcessingAt: null,
      paymentId: null,
      checkoutSessionId: null,
      checkoutUrl: null,
      idempotencyKey: null,
      inputHash: null,
      sequence: 1,
      createdAt: at,
      updatedAt: at,
    };
  });
  const orderDb = sys.subgraphs.order.runtime.db;
  await orderDb.transaction(async (em) => {
    await em.insert(OrderEntity, orders);
    await em.insert(
      OrderItemEntity,
      orders.flatMap((o) => [
        { orderId: o.id, productId: mug, name: 'mug', quantity: 1, unitPrice: 1250, currency: 'USD' },
        { orderId: o.id, productId: pen, name: 'pen', quantity: 2, unitPrice: 300, currency: 'USD' },
      ]),
    );
    await em.insert(
      OrderStatusChangeEntity,
      orders.map((o) => ({ orderId: o.id, sequence: 1, status: o.status, reason: null, at: o.createdAt })),
    );
  });
  if (paymentStatus) {
    const payments: PaymentRow[] = orders.map((o) => ({
      id: randomUUID(),
      orderId: o.id,
      customerId,
      amount: o.amountDue,
      currency: 'USD',
      status: paymentStatus,
      sessionId: `cs_test_${o.id.replaceAll('-', '')}`,
      checkoutUrl: null,
      paymentIntentId: null,
      refundId: null,
      sessionKeyGeneration: 0,
      refundKeyGeneration: 0,
      refundReserved: 0,
      paidAt: paymentStatus === 'SUCCEEDED' ? o.createdAt : null,
      traceparent: null,
      createdAt: o.createdAt,
      updatedAt: o.createdAt,
    }));
    await sys.subgraphs.payment.runtime.db.transaction((em) => em.insert(PaymentEntity, payments));
  }
  return orders.map((o) => ({ id: o.id, status: o.status, amountDue: o.amountDue, payment: paymentStatus }));
}

const idsOf = (orders: { id: string }[]) => orders.map((o) => o.id);

test('one query for me, my orders, their items, products and payments is answered by all four subgraphs', async () => {
  const ann = await signUp(sys, 'Ann');
  const [paid] = await writeOrders(ann.id, 1, 'PAID', 'SUCCEEDED');
  const placed = await ann.placeOrder({ items: [{ productId: mug, quantity: 2 }] });
  await ann.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');

  const me = (await ann.query(ME_ORDERS)).me;
  assert.equal(me.name, 'Ann', 'account answers me.name');
  assert.deepEqual(idsOf(me.orders), [placed.id, paid!.id], 'order answers me.orders, newest first');
  const [fresh, old] = me.orders;
  assert.equal(fresh.status, 'WAITING_FOR_PAYMENT');
  assert.equal(fresh.amountDue.amount, 2500);
  assert.equal(fresh.items.length, 1);
  assert.equal(fresh.items[0].quantity, 2);
  assert.match(fresh.items[0].product.name, /^Product T-/, 'inventory answers product.name');
  assert.equal(fresh.items[0].product.available, 98, 'inventory answers product.available (2 held for the placed order)');
  assert.deepEqual(fresh.payment, { status: 'OPEN' }, 'payment answers Order.payment');
  assert.equal(old.status, 'PAID');
  assert.equal(old.amountDue.amount, 1850);
  assert.deepEqual(old.items.map((i: { quantity: number; product: { name: string } }) => i.quantity).sort(), [1, 2]);
  assert.ok(old.items.every((i: { product: { name: string | null } }) => typeof i.product.name === 'string'));
  assert.deepEqual(old.payment, { status: 'SUCCEEDED' });
});

test("a customer sees only their own orders; another customer's order reads exactly like an unknown id", async () => {
  const ann = await signUp(sys, 'Ann');
  const bob = await signUp(sys, 'Bob');
  const annOrders = await writeOrders(ann.id, 3, 'WAITING_FOR_PAYMENT', 'OPEN');
  const bobOrders = await writeOrders(bob.id, 2, 'PAID', 'SUCCEEDED');

  assert.deepEqual(idsOf((await ann.query(ME_ORDERS)).me.orders), idsOf(annOrders));
  assert.deepEqual(idsOf((await bob.query(ME_ORDERS)).me.orders), idsOf(bobOrders));

  // Own order: visible. Someone else's: the same answer as an id that does not exist, data and errors alike.
  assert.equal((await ann.query(ORDER, { id: annOrders[0]!.id })).order.id, annOrders[0]!.id);
  const unknown = withoutTraceId(await gql(url, ORDER, { id: randomUUID() }, bob.token));
  const foreign = withoutTraceId(await gql(url, ORDER, { id: annOrders[0]!.id }, bob.token));
  assert.deepEqual(unknown, { data: { order: null } });
  assert.deepEqual(foreign, unknown, "another customer's order must read as a missing one");
  const anonymous = withoutTraceId(await gql(url, ORDER, { id: annOrders[0]!.id }));
  assert.deepEqual(anonymous, { data: { order: null } }, 'anonymous callers see no order');
  assert.deepEqual(withoutTraceId(await gql(url, ME_ORDERS)), { data: { me: null } });

  // A mutation on someone else's order fails exactly as on an unknown id, and changes nothing.
  const cancel = `mutation($id: ID!) { cancelOrder(id: $id) { id status } }`;
  const notYours = await fails(url, 'NOT_FOUND', cancel, { id: annOrders[1]!.id }, bob.token);
  const missing = await fails(url, 'NOT_FOUND', cancel, { id: randomUUID() }, bob.token);
  assert.equal(notYours.message, missing.message);
  assert.equal((await ann.query(ORDER, { id: annOrders[1]!.id })).order.status, 'WAITING_FOR_PAYMENT');
});

test("admins see every customer's orders, with customer, items and payment", async () => {
  const cleo = await signUp(sys, 'Cleo');
  const dan = await signUp(sys, 'Dan');
  const [cleoOrder] = await writeOrders(cleo.id, 1, 'PAID', 'SUCCEEDED');
  const [danOrder] = await writeOrders(dan.id, 1, 'WAITING_FOR_PAYMENT', 'OPEN');
  for (const [owner, order] of [
    [cleo, cleoOrder!],
    [dan, danOrder!],
  ] as const) {
    const seen = (
      await admin.query(
        `query($id: ID!) { order(id: $id) { id status customer { id email name orders { id } } items { quantity product { name } } payment { status } } }`,
        { id: order.id },
      )
    ).order;
    assert.equal(seen.id, order.id);
    assert.equal(seen.status, order.status);
    assert.deepEqual({ id: seen.customer.id, email: seen.customer.email }, { id: owner.id, email: owner.email });
    assert.deepEqual(idsOf(seen.customer.orders), [order.id], "through the customer, the admin sees all of that customer's orders");
    assert.equal(seen.items.length, 2);
    assert.deepEqual(seen.payment, { status: order.payment });
  }
  // The admin's own list is still the admin's own orders.
  assert.deepEqual((await admin.query(`{ me { orders { id } } }`)).me.orders, []);
});

test('no N+1: 30 orders with 2 items each cost a small, constant number of SQL statements per subgraph', async () => {
  const many = await signUp(sys, 'Many');
  const one = await signUp(sys, 'One');
  const manyOrders = await writeOrders(many.id, 30, 'PAID', 'SUCCEEDED');
  await writeOrders(one.id, 1, 'PAID', 'SUCCEEDED');
  const query = `{ me { orders { items { product { name } } payment { status } } } }`;

  /** Statements per subgraph for one run of the query: the fewest over several runs, so a background job that happens to tick during one is not counted. */
  async function statements(shopper: Shopper): Promise<Record<ServiceName, number>> {
    const fewest = { account: Infinity, inventory: Infinity, order: Infinity, payment: Infinity } as Record<ServiceName, number>;
    for (let run = 0; run < 8; run++) {
      const before = Object.fromEntries(SERVICES.map((n) => [n, sys.subgraphs[n].runtime.db.statementCount]));
      const data = await shopper.query(query);
      const after = Object.fromEntries(SERVICES.map((n) => [n, sys.subgraphs[n].runtime.db.statementCount]));
      if (shopper === many) {
        assert.equal(data.me.orders.length, 30);
        assert.ok(data.me.orders.every((o: { items: unknown[]; payment: { status: string } }) => o.items.length === 2 && o.payment.status === 'SUCCEEDED'));
      }
      for (const n of SERVICES) fewest[n] = Math.min(fewest[n], after[n]! - before[n]!);
    }
    return fewest;
  }

  // The outbox relays poll on their own; pause them while counting.
  for (const n of SERVICES) await sys.subgraphs[n].runtime.relay.stop();
  try {
    const forMany = await statements(many);
    const forOne = await statements(one);
    for (const n of SERVICES) {
      assert.ok(forMany[n] >= 1 && forMany[n] <= 5, `${n}: ${forMany[n]} statements for 30 orders (expected 1 to 5; for 1 order: ${forOne[n]})`);
      assert.equal(forMany[n], forOne[n], `${n}: statements grow with the number of orders: ${forOne[n]} for 1 order, ${forMany[n]} for 30`);
    }
  } finally {
    for (const n of SERVICES) sys.subgraphs[n].runtime.relay.start();
  }
  assert.equal(manyOrders.length, 30);
});
