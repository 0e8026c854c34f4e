import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseLines, validateLines } from './order-lines.js';

test('duplicate products merge and lines sort by id', () => {
  assert.deepEqual(
    normaliseLines([
      { productId: 'b', quantity: 1 },
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 3 },
    ]),
    [
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 4 },
    ],
  );
});

test('bad lines are refused with BAD_USER_INPUT', () => {
  const code = (fn: () => unknown) => assert.throws(fn, (e: { extensions?: { code?: string } }) => e.extensions?.code === 'BAD_USER_INPUT');
  code(() => validateLines([]));
  code(() => validateLines([{ productId: 'a', quantity: 0 }]));
  code(() => validateLines([{ productId: 'a', quantity: -1 }]));
  code(() => validateLines([{ productId: 'a', quantity: 1001 }]));
  code(() =>
    validateLines([
      { productId: 'a', quantity: 600 },
      { productId: 'a', quantity: 600 },
    ]),
  );
  code(() => validateLines(Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }))));
  assert.equal(validateLines(Array.from({ length: 50 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }))).length, 50);
});
