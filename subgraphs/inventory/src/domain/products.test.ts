import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, encodeCursor, productInputProblem } from './products.js';

test('cursors round-trip and malformed ones are refused', () => {
  assert.equal(decodeCursor(encodeCursor('SKU-1')), 'SKU-1');
  assert.throws(() => decodeCursor('garbage!'), /cursor/);
  assert.throws(() => decodeCursor(Buffer.from('id:1').toString('base64url')), /cursor/);
});

test('product input: negative price or stock, empty name, foreign currency', () => {
  const ok = { sku: 'A-1', name: 'Mug', price: 1200, currency: 'USD', stockOnHand: 3 };
  assert.equal(productInputProblem(ok, 'USD'), null);
  assert.match(productInputProblem({ ...ok, price: -1 }, 'USD')!, /price/);
  assert.match(productInputProblem({ ...ok, stockOnHand: -1 }, 'USD')!, /stockOnHand/);
  assert.match(productInputProblem({ ...ok, name: ' ' }, 'USD')!, /name/);
  assert.match(productInputProblem({ ...ok, currency: 'EUR' }, 'USD')!, /currency/);
});
