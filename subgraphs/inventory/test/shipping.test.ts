// Shipping on inventory's side: products say whether they ship, the try step's held lines carry it,
// and fulfilment ships a paid order to its address with a carrier and a tracking number, readable
// by the order's customer and admins only.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Address } from '../../../lib/contracts/address.js';
import type { HeldLine } from '../../../lib/contracts/order-lines.js';
import { internalCallHeaders } from '../../../lib/platform/http/internal-call.js';
import type { System } from '../../../lib/system/system.js';
import { ok } from '../../../lib/testkit/graphql.js';
import { createProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { ShipmentEntity } from '../src/persistence/entities.js';
import { sellStock } from '../src/use-cases/sell-stock.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const inventory = sys.subgraphs.inventory.runtime;

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id requiresShipping } }`;
const SHIPMENT = `query($id: ID!) { order(id: $id) { id shipment { address { name line1 line2 city postalCode region country phone } carrier trackingNumber shippedAt } } }`;
const ADDRESS: Address = {
  name: 'Ann Example',
  line1: '1 Harbour Street',
  line2: null,
  city: 'Bristol',
  postalCode: 'BS1 4RN',
  region: null,
  country: 'GB',
  phone: '+44 117 000 0000',
};

const productInput = (extra: Record<string, unknown>) => ({
  sku: `S-${randomBytes(5).toString('hex')}`,
  name: 'Shipping test product',
  price: 1200,
  currency: 'USD',
  stockOnHand: 5,
  ...extra,
});

async function holdLines(productIds: string[]): Promise<HeldLine[]> {
  const url = `${sys.subgraphs.inventory.url}/internal/holds`;
  const body = JSON.stringify({ orderId: randomUUID(), items: productIds.map((productId) => ({ productId, quantity: 1 })) });
  const headers = await internalCallHeaders(sys.config.SERVICE_TOKEN, { audience: 'inventory', method: 'POST', url, body });
  const res = await fetch(url, { method: 'POST', headers, body });
  assert.equal(res.status, 200);
  return ((await res.json()) as { lines: HeldLine[] }).lines;
}

/** order.paid as inventory's consumer applies it, with the address the order ships to. */
function paid(orderId: string, customerId: string, shippingAddress: Address | null) {
  return inventory.transact((tx) => sellStock({ em: tx.em, log: inventory.log, config: inventory.config }, { orderId, customerId, shippingAddress }));
}

/** Order.shipment straight from the inventory subgraph, as the gateway resolves it for someone who can read the order. */
async function shipmentAtInventory(orderId: string, token?: string) {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { shipment { carrier trackingNumber } } } }`;
  const data = await ok(`${sys.subgraphs.inventory.url}/graphql`, query, { r: [{ __typename: 'Order', id: orderId }] }, token);
  return data._entities[0].shipment;
}

test('a product ships unless created with requiresShipping false, and the held lines say so', async () => {
  const shipped = (await admin.query(CREATE, { input: productInput({}) })).createProduct;
  const digital = (await admin.query(CREATE, { input: productInput({ requiresShipping: false }) })).createProduct;
  const explicit = (await admin.query(CREATE, { input: productInput({ requiresShipping: true }) })).createProduct;
  assert.equal(shipped.requiresShipping, true, 'the default');
  assert.equal(digital.requiresShipping, false);
  assert.equal(explicit.requiresShipping, true);
  const read = async (id: string) => (await ok(sys.gateway.url, `query($id: ID!) { product(id: $id) { requiresShipping } }`, { id })).product.requiresShipping;
  assert.equal(await read(digital.id), false);
  assert.equal(await read(shipped.id), true);

  const lines = await holdLines([shipped.id, digital.id]);
  assert.deepEqual(Object.fromEntries(lines.map((l) => [l.productId, l.requiresShipping])), { [shipped.id]: true, [digital.id]: false });
});

test('the demo catalog ships', async () => {
  const { nodes } = (await ok(sys.gateway.url, `{ products(first: 100) { nodes { sku requiresShipping } } }`)).products;
  const demo = nodes.filter((p: { sku: string }) => /^[A-Z]{3}-01$/.test(p.sku));
  assert.equal(demo.length, 12);
  for (const p of demo) assert.equal(p.requiresShipping, true, p.sku);
});

test('a paid order ships to its address with a carrier and a tracking number, visible to its customer and admins only', async () => {
  const ann = await signUp(sys, 'Ann');
  const bob = await signUp(sys, 'Bob');
  const productId = await createProduct(admin, 3);
  const order = await ann.placeOrder({ items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS, shippingMethod: 'STANDARD' });
  assert.equal((await ann.query(SHIPMENT, { id: order.id })).order.shipment, null, 'nothing before payment');

  await ann.pay(order.id);
  await ann.waitForStatus(order.id, 'FINISHED');
  const { shipment } = (await ann.query(SHIPMENT, { id: order.id })).order;
  assert.deepEqual(shipment.address, ADDRESS);
  assert.equal(shipment.carrier, 'Demo Post');
  assert.match(shipment.trackingNumber, /^DP[0-9A-F]{32}$/);
  assert.ok(Date.parse(shipment.shippedAt) <= Date.now());

  assert.deepEqual((await admin.query(SHIPMENT, { id: order.id })).order.shipment, shipment, 'an admin reads it');
  assert.equal((await bob.query(SHIPMENT, { id: order.id })).order, null, 'another customer does not even see the order');
  assert.equal(await shipmentAtInventory(order.id, bob.token), null, 'nor its shipment, asked of inventory directly');
  assert.equal(await shipmentAtInventory(order.id), null, 'nor does an anonymous caller');
  assert.deepEqual(await shipmentAtInventory(order.id, ann.token), { carrier: 'Demo Post', trackingNumber: shipment.trackingNumber });
});

test('order.paid applied twice writes one shipment, the first', async () => {
  const orderId = randomUUID();
  const customerId = randomUUID();
  await paid(orderId, customerId, ADDRESS);
  await paid(orderId, customerId, { ...ADDRESS, city: 'Elsewhere' });
  const shipments = await inventory.db.manager.findBy(ShipmentEntity, { orderId });
  assert.equal(shipments.length, 1);
  assert.deepEqual(shipments[0]!.address, ADDRESS);
});

test('an order with nothing to ship is fulfilled without an address, a carrier or a tracking number', async () => {
  const cat = await signUp(sys, 'Cat');
  const ebook = (await admin.query(CREATE, { input: productInput({ requiresShipping: false }) })).createProduct.id;
  const order = await cat.placeOrder({ items: [{ productId: ebook, quantity: 1 }] });
  await cat.pay(order.id);
  await cat.waitForStatus(order.id, 'FINISHED');
  const { shipment } = (await cat.query(SHIPMENT, { id: order.id })).order;
  assert.deepEqual({ ...shipment, shippedAt: undefined }, { address: null, carrier: null, trackingNumber: null, shippedAt: undefined });
  assert.ok(shipment.shippedAt);
});
