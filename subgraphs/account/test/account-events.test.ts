// The events carts learn coupons and store credit from: coupon.changed when a coupon is issued,
// customer.credit_changed (sequence = the balance's version) on every change of a balance, each
// written to the outbox in the transaction of the change and published by the relay.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { v5 as uuidv5 } from 'uuid';
import type { EventEnvelope } from '../../../lib/contracts/events.js';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { outboxEvents } from '../../../lib/testkit/outbox.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { COUPON_AGGREGATE_NAMESPACE } from '../src/messaging/account-events.js';
import { CustomerEntity } from '../src/persistence/entities.js';
import { DEMO_CUSTOMER } from '../src/use-cases/seed-demo.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const account = sys.subgraphs.account.runtime;

const ISSUE = `mutation($input: IssueCouponInput!) { issueCoupon(input: $input) { code } }`;
const GRANT = `mutation($id: ID!, $a: Int!) { grantStoreCredit(customerId: $id, amount: $a, currency: "USD") { id } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }`;

/** The outbox rows about one aggregate, oldest first. */
const outboxOf = (aggregateId: string) => outboxEvents(account.db, { aggregateId });

const creditOf = async (customerId: string) => {
  const c = await account.db.manager.findOneByOrFail(CustomerEntity, { id: customerId });
  return { storeCredit: c.storeCredit, creditVersion: c.creditVersion };
};

const couponAggregate = (code: string) => uuidv5(code, COUPON_AGGREGATE_NAMESPACE);
const uniqueCode = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`;

/** Every credit_changed the broker delivers, from subscribing on: what consumers would see. */
const delivered: EventEnvelope[] = [];
await account.broker.fanout('customer.credit_changed', async (e) => {
  delivered.push(e);
});

test('issuing a coupon writes coupon.changed with its terms, under its code’s uuid, in the same transaction', async () => {
  const cora = await signUp(sys, 'Cora');
  const open = uniqueCode('TEN');
  const expiresAt = new Date(Date.now() + 86_400_000);
  await admin.query(ISSUE, { input: { code: open.toLowerCase(), percentOff: 10, expiresAt: expiresAt.toISOString() } });
  const personal = uniqueCode('CORA');
  await admin.query(ISSUE, { input: { code: personal, amountOff: 250, customerId: cora.id } });

  assert.equal(couponAggregate(open).length, 36);
  assert.deepEqual(await outboxOf(couponAggregate(open)).then((rows) => rows.map(({ sent: _, ...e }) => e)), [
    {
      type: 'coupon.changed',
      aggregateId: couponAggregate(open),
      sequence: 1,
      data: { code: open, percentOff: 10, amountOff: null, currency: 'USD', customerId: null, expiresAt: expiresAt.toISOString() },
    },
  ]);
  const [personalEvent] = await outboxOf(couponAggregate(personal));
  assert.deepEqual(personalEvent?.data, { code: personal, percentOff: null, amountOff: 250, currency: 'USD', customerId: cora.id, expiresAt: null });

  // A duplicate code is refused and its transaction, event included, rolled back.
  const again = await admin.raw(ISSUE, { input: { code: open, percentOff: 20 } });
  assert.equal(again.errors?.[0]?.extensions?.code, 'CONFLICT');
  assert.equal((await outboxOf(couponAggregate(open))).length, 1);
  await waitFor(async () => (await outboxOf(couponAggregate(open)))[0]?.sent, 'the relay to publish coupon.changed');
});

test('granting store credit writes customer.credit_changed with the balance after it and the balance’s version', async () => {
  const dana = await signUp(sys, 'Dana');
  assert.deepEqual(await creditOf(dana.id), { storeCredit: 0, creditVersion: 0 }, 'a new customer: no credit, version 0, no event');
  assert.deepEqual(await outboxOf(dana.id), []);
  await admin.query(GRANT, { id: dana.id, a: 1000 });
  await admin.query(GRANT, { id: dana.id, a: 500 });
  assert.deepEqual(await creditOf(dana.id), { storeCredit: 1500, creditVersion: 2 });
  assert.deepEqual(
    (await outboxOf(dana.id)).map(({ sent: _, ...e }) => e),
    [
      { type: 'customer.credit_changed', aggregateId: dana.id, sequence: 1, data: { customerId: dana.id, storeCredit: 1000, currency: 'USD' } },
      { type: 'customer.credit_changed', aggregateId: dana.id, sequence: 2, data: { customerId: dana.id, storeCredit: 1500, currency: 'USD' } },
    ],
  );
  // An unknown customer: NOT_FOUND, and nothing written.
  const unknown = randomUUID();
  assert.equal((await admin.raw(GRANT, { id: unknown, a: 100 })).errors?.[0]?.extensions?.code, 'NOT_FOUND');
  assert.deepEqual(await outboxOf(unknown), []);
});

test('a checkout taking credit and a cancellation giving it back each announce the balance, in version order, through the broker', async () => {
  const product = await createDigitalProduct(admin, 10, 1000);
  const eve = await signUp(sys, 'Eve');
  await admin.query(GRANT, { id: eve.id, a: 600 });
  const placed = await eve.placeOrder({ items: [{ productId: product, quantity: 1 }], useStoreCredit: true });
  assert.equal(placed.storeCreditApplied.amount, 600);
  await eve.waitForStatus(placed.id, 'WAITING_FOR_PAYMENT');
  await eve.query(CANCEL, { id: placed.id });
  await waitFor(async () => (await creditOf(eve.id)).storeCredit === 600 || null, 'the cancelled order’s credit to come back');

  const events = await outboxOf(eve.id);
  assert.deepEqual(
    events.map((e) => [e.type, e.sequence, e.data.storeCredit]),
    [
      ['customer.credit_changed', 1, 600],
      ['customer.credit_changed', 2, 0],
      ['customer.credit_changed', 3, 600],
    ],
  );
  assert.equal((await creditOf(eve.id)).creditVersion, 3, 'the last event carries the row’s version');
  // The take and the give-back were written by steps holding only an EntityManager: the relay's
  // poll publishes them, and the broker delivers every version.
  const seen = await waitFor(() => {
    const mine = delivered.filter((e) => e.aggregateId === eve.id);
    return mine.length >= 3 ? mine : null;
  }, 'every credit_changed of Eve to be delivered');
  assert.deepEqual(
    seen.map((e) => e.sequence).sort((a, b) => a - b),
    [1, 2, 3],
  );
  assert.deepEqual(
    seen.map((e) => (e as EventEnvelope<'customer.credit_changed'>).data.currency),
    ['USD', 'USD', 'USD'],
  );
});

test('the demo seed announces WELCOME10 and the demo customer’s 500 of credit at version 1', async () => {
  const demo = await account.db.manager.findOneByOrFail(CustomerEntity, { email: DEMO_CUSTOMER.email });
  assert.deepEqual(await creditOf(demo.id), { storeCredit: 500, creditVersion: 1 });
  assert.deepEqual(
    (await outboxOf(demo.id)).map((e) => [e.type, e.sequence, e.data]),
    [['customer.credit_changed', 1, { customerId: demo.id, storeCredit: 500, currency: 'USD' }]],
  );
  assert.deepEqual(
    (await outboxOf(couponAggregate('WELCOME10'))).map((e) => [e.type, e.sequence, e.data]),
    [['coupon.changed', 1, { code: 'WELCOME10', percentOff: 10, amountOff: null, currency: 'USD', customerId: null, expiresAt: null }]],
  );
});

test('account applies order.created only for an order that held a coupon or credit; one that held nothing costs it no transaction', async () => {
  const product = await createDigitalProduct(admin, 10, 1000);
  const finn = await signUp(sys, 'Finn');
  await admin.query(GRANT, { id: finn.id, a: 300 });
  const plain = await finn.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const withCredit = await finn.placeOrder({ items: [{ productId: product, quantity: 1 }], useStoreCredit: true });
  await finn.waitForStatus(plain.id, 'WAITING_FOR_PAYMENT');
  await finn.waitForStatus(withCredit.id, 'WAITING_FOR_PAYMENT');

  const order = sys.subgraphs.order.runtime;
  const created = async (orderId: string) => (await outboxEvents(order.db, { type: 'order.created', aggregateId: orderId }))[0]!;
  assert.equal((await created(plain.id)).data.benefitsHeld, false);
  assert.equal((await created(withCredit.id)).data.benefitsHeld, true);
  // The inbox row of the credit order's order.created is there once applied; the plain one's never is.
  const inboxed = async () =>
    (await account.db.manager.query(`SELECT event_id FROM inbox WHERE consumer = 'account:order.created'`)).map((r: { event_id: string }) => r.event_id);
  const [plainId, creditId] = await Promise.all(
    [plain.id, withCredit.id].map(
      async (id) => (await order.db.manager.query('SELECT id FROM outbox WHERE type = ? AND aggregate_id = ?', ['order.created', id]))[0].id as string,
    ),
  );
  await waitFor(async () => (await inboxed()).includes(creditId) || null, 'the credit order confirmed by account');
  assert.equal((await inboxed()).includes(plainId), false);
});
