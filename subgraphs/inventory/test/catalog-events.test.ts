// product.changed, which carts price products from: written in the transaction that creates a
// product (or seeds the demo catalog), and published by the relay.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { EventEnvelope } from '../../../lib/contracts/events.js';
import type { System } from '../../../lib/system/system.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { logInAdmin, type Shopper } from '../../../lib/testkit/story.js';
import { outboxEvents } from '../../../lib/testkit/outbox.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { ProductEntity } from '../src/persistence/entities.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const inventory = sys.subgraphs.inventory.runtime;

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`;

/** The outbox's product.changed rows, oldest first; about one product when given. */
const productEvents = (productId?: string) => outboxEvents(inventory.db, { type: 'product.changed', aggregateId: productId });

const delivered: EventEnvelope[] = [];
await inventory.broker.fanout('product.changed', async (e) => {
  delivered.push(e);
});

const input = (overrides: Record<string, unknown> = {}) => ({
  sku: `EV-${randomBytes(5).toString('hex')}`,
  name: '  Event test product ',
  price: 2450,
  currency: 'USD',
  stockOnHand: 3,
  ...overrides,
});

test('createProduct writes product.changed with what carts price, in the same transaction, and the relay publishes it', async () => {
  const shipped = (await admin.query(CREATE, { input: input() })).createProduct.id;
  const digital = (await admin.query(CREATE, { input: input({ price: 900, requiresShipping: false }) })).createProduct.id;
  assert.deepEqual(
    (await productEvents(shipped)).map(({ sent: _, ...e }) => e),
    [
      {
        type: 'product.changed',
        aggregateId: shipped,
        sequence: 1,
        data: { productId: shipped, name: 'Event test product', price: 2450, currency: 'USD', requiresShipping: true },
      },
    ],
  );
  assert.deepEqual(
    (await productEvents(digital)).map((e) => e.data),
    [{ productId: digital, name: 'Event test product', price: 900, currency: 'USD', requiresShipping: false }],
  );
  const seen = await waitFor(() => delivered.find((e) => e.aggregateId === digital), 'product.changed to reach the broker');
  assert.deepEqual([seen.sequence, seen.data], [1, { productId: digital, name: 'Event test product', price: 900, currency: 'USD', requiresShipping: false }]);
  await waitFor(async () => (await productEvents(shipped))[0]?.sent, 'the outbox row marked sent');
});

test('a duplicate sku is refused with nothing written: no product and no event', async () => {
  const wanted = input();
  await admin.query(CREATE, { input: wanted });
  const before = (await productEvents()).length;
  const again = await admin.raw(CREATE, { input: { ...wanted, name: 'Another name' } });
  assert.equal(again.errors?.[0]?.extensions?.code, 'CONFLICT');
  assert.equal((await productEvents()).length, before);
});

test('the demo catalog was seeded with one product.changed per product', async () => {
  const demo = await inventory.db.manager.find(ProductEntity, { where: { description: 'Enamel mug, from the demo catalog' } });
  assert.equal(demo.length, 1);
  const createdAt = demo[0]!.createdAt;
  const seeded = await inventory.db.manager.find(ProductEntity, { where: { createdAt } });
  assert.equal(seeded.length, 12);
  for (const p of seeded) {
    assert.deepEqual(
      (await productEvents(p.id)).map((e) => [e.sequence, e.data]),
      [[1, { productId: p.id, name: p.name, price: p.price, currency: 'USD', requiresShipping: true }]],
      p.sku,
    );
  }
});
