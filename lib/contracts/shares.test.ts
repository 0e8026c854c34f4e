import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareOut } from './shares.js';

test('shareOut splits exactly, in proportion, never above a weight', () => {
  assert.deepEqual(shareOut(10, [5, 5, 5]), [4, 3, 3]);
  assert.deepEqual(shareOut(3, [1, 0, 5]), [1, 0, 2]);
  assert.deepEqual(shareOut(6, [1, 0, 5]), [1, 0, 5]);
  assert.deepEqual(shareOut(0, [4, 5]), [0, 0]);
});
