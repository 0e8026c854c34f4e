import assert from 'node:assert/strict';
import { test } from 'node:test';
import { totalsOf } from './totals.js';

test('totals: subtotal, discount, credit, amount due', () => {
  assert.deepEqual(
    totalsOf(
      [
        { quantity: 2, unitPrice: 1000 },
        { quantity: 1, unitPrice: 500 },
      ],
      250,
      300,
    ),
    { subtotal: 2500, discount: 250, storeCreditApplied: 300, amountDue: 1950 },
  );
});

test('amount due never goes below zero', () => {
  assert.deepEqual(totalsOf([{ quantity: 1, unitPrice: 1000 }], 800, 500), { subtotal: 1000, discount: 800, storeCreditApplied: 200, amountDue: 0 });
  assert.deepEqual(totalsOf([{ quantity: 1, unitPrice: 1000 }], 5000, 0), { subtotal: 1000, discount: 1000, storeCreditApplied: 0, amountDue: 0 });
});
