// A guest's whole checkout through the gateway with nothing but a cart id and then the order
// token: build the cart, check out, follow the status over graphql-ws, pay on the emulator's page
// (a Stripe session whose amount_total is amountDue), and the order reaches FINISHED with a
// shipment to the cart's address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { System } from '../../lib/system/system.js';
import { waitFor } from '../../lib/testkit/graphql.js';
import { createProduct, logInAdmin, payAt, untilCartsKnow, visitor, type Shopper } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';

const sys: System = await testSystem({ FULFILMENT_DELAY_MS: '0' });
const admin: Shopper = await logInAdmin(sys);
const ADDRESS = { name: 'Gia Guest', line1: '7 Quay St', line2: 'Flat 2', city: 'Halifax', postalCode: 'B3H 1A1', region: 'NS', country: 'CA' };

const BUILD = `mutation($lines: [OrderItemInput!], $email: String) { createCart(input: { lines: $lines, email: $email }) { id } }`;
const ADDRESSED = `mutation($id: ID!, $a: AddressInput!) { setShippingAddress(cartId: $id, address: $a) { availableShippingMethods { code } } }`;
const METHOD = `mutation($id: ID!) { setShippingMethod(cartId: $id, code: "STANDARD") { totals { total { amount } tax { amount } } } }`;
const CHECKOUT = `mutation($id: ID!) { checkoutCart(cartId: $id) { orderToken order { id amountDue { amount } } } }`;
const READ = `query($id: ID!) { order(id: $id) { status amountDue { amount } payment { checkoutUrl stripeCheckoutSessionId }
  shipment { address { name line1 line2 city postalCode region country } carrier trackingNumber shippedAt } } }`;

test('a guest checks out a cart, follows and pays the order with the order token alone, and it ships to the cart address', async () => {
  await admin.query(`mutation { setTaxRate(input: { country: "CA", region: "NS", rate: 1500 }) { rate } }`);
  const poster = await createProduct(admin, 5, 2200);
  await untilCartsKnow(sys, [poster]);
  const guest = visitor(sys);
  const { id } = (await guest.query(BUILD, { lines: [{ productId: poster, quantity: 1 }], email: 'gia@example.com' })).createCart;
  const methods = (await guest.query(ADDRESSED, { id, a: ADDRESS })).setShippingAddress.availableShippingMethods.map((m: { code: string }) => m.code);
  assert.ok(methods.includes('STANDARD'), 'the demo methods ship everywhere');
  const { totals } = (await guest.query(METHOD, { id })).setShippingMethod;
  // Nova Scotia's 15% on 2200 + 500 shipping.
  assert.deepEqual([totals.tax.amount, totals.total.amount], [405, 3105]);

  const { orderToken, order } = (await guest.query(CHECKOUT, { id })).checkoutCart;
  assert.equal(order.amountDue.amount, 3105);
  const holder = visitor(sys, orderToken);

  const statuses: string[] = [];
  const client = createClient({
    url: `${sys.gateway.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${orderToken}` },
    retryAttempts: 0,
  });
  const followed = new Promise<void>((resolve, reject) =>
    client.subscribe<{ orderStatusChanged: { status: string } }>(
      { query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }`, variables: { id: order.id } },
      { next: (r) => void statuses.push(r.data!.orderStatusChanged.status), error: reject, complete: resolve },
    ),
  );

  const waiting = await waitFor(
    async () => (await holder.query(READ, { id: order.id })).order?.payment?.checkoutUrl && (await holder.query(READ, { id: order.id })).order,
    'a checkout URL',
  );
  const session = sys.emulator!.sessions().find((s) => s.id === waiting.payment.stripeCheckoutSessionId);
  assert.equal(session?.amount_total, 3105, 'Stripe charges amountDue');
  assert.equal(session?.customer_email, 'gia@example.com');
  await payAt(waiting.payment.checkoutUrl);

  await followed;
  client.dispose();
  assert.equal(statuses.at(-1), 'FINISHED');
  assert.ok(statuses.includes('PAID'), statuses.join(' → '));
  const finished = await waitFor(
    async () => (await holder.query(READ, { id: order.id })).order?.shipment && (await holder.query(READ, { id: order.id })).order,
    'a shipment',
  );
  assert.equal(finished.status, 'FINISHED');
  assert.deepEqual(finished.shipment.address, ADDRESS);
  assert.ok(finished.shipment.trackingNumber && finished.shipment.shippedAt);
});

test('an order token follows its one order and no other', async () => {
  const mug = await createProduct(admin, 5, 1000);
  await untilCartsKnow(sys, [mug]);
  const tokens: { orderToken: string; order: { id: string } }[] = [];
  for (const email of ['one@example.com', 'two@example.com']) {
    const { id } = (await visitor(sys).query(BUILD, { lines: [{ productId: mug, quantity: 1 }], email })).createCart;
    await visitor(sys).query(ADDRESSED, { id, a: ADDRESS });
    await visitor(sys).query(METHOD, { id });
    tokens.push((await visitor(sys).query(CHECKOUT, { id })).checkoutCart);
  }
  const [first, second] = tokens;
  const client = createClient({
    url: `${sys.gateway.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${first!.orderToken}` },
    retryAttempts: 0,
  });
  const error = await new Promise<unknown>((resolve) =>
    client.subscribe(
      { query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }`, variables: { id: second!.order.id } },
      { next: () => resolve(null), error: resolve, complete: () => resolve(null) },
    ),
  );
  client.dispose();
  assert.equal((error as { extensions?: { code?: string } }[])?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(error));
  assert.equal((await visitor(sys, first!.orderToken).query(`query($id: ID!) { order(id: $id) { id } }`, { id: second!.order.id })).order, null);
});
