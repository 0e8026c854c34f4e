// The try step's inventory half reads the products and takes every line's stock at once; a line it
// cannot take (short, or an unknown product) refuses the whole order with nothing held, and the
// lines it did take are given back by the rollback.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { GraphQLError } from 'graphql';
import type { System } from '../../../lib/system/system.js';
import { createProduct, logInAdmin, stockOf } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { StockHoldEntity } from '../src/persistence/entities.js';
import { holdStock } from '../src/use-cases/hold-stock.js';

const sys: System = await testSystem();
const admin = await logInAdmin(sys);
const inventory = sys.subgraphs.inventory.runtime;
const hold = (lines: { productId: string; quantity: number }[]) => holdStock(inventory, { orderId: randomUUID(), lines });
const codeOf = (err: unknown) => (err instanceof GraphQLError ? err.extensions.code : err);

test('a short line or an unknown product refuses the order and holds nothing; otherwise every line is held', async () => {
  const [plenty, scarce] = [await createProduct(admin, 5, 1000), await createProduct(admin, 1, 1000)];
  const available = async () => [(await stockOf(sys, plenty)).available, (await stockOf(sys, scarce)).available];
  const heldRows = () => inventory.db.manager.countBy(StockHoldEntity, {});
  const rowsBefore = await heldRows();

  await assert.rejects(
    hold([
      { productId: plenty, quantity: 2 },
      { productId: scarce, quantity: 3 },
    ]),
    (err) => codeOf(err) === 'OUT_OF_STOCK',
  );
  await assert.rejects(
    hold([
      { productId: plenty, quantity: 2 },
      { productId: randomUUID(), quantity: 1 },
    ]),
    (err) => codeOf(err) === 'BAD_USER_INPUT',
  );
  assert.deepEqual(await available(), [5, 1], 'the lines that were taken came back');
  assert.equal(await heldRows(), rowsBefore);

  const held = await hold([
    { productId: plenty, quantity: 2 },
    { productId: scarce, quantity: 1 },
  ]);
  assert.deepEqual(held.map((l) => l.quantity).sort(), [1, 2]);
  assert.deepEqual(await available(), [3, 0]);
});
