import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TRANSITIONS, canTransition, decideTransition } from './state-machine.js';

test('the happy path and its shortcuts are legal', () => {
  assert.ok(canTransition('PENDING', 'WAITING_FOR_PAYMENT'));
  assert.ok(canTransition('WAITING_FOR_PAYMENT', 'PAID'));
  assert.ok(canTransition('PAID', 'FINISHED'));
  assert.ok(canTransition('PENDING', 'PAID'));
  assert.ok(canTransition('PENDING', 'CANCELLED'));
  assert.ok(canTransition('WAITING_FOR_PAYMENT', 'CANCELLED'));
});

test('paid, finished and cancelled orders cannot be cancelled or go back', () => {
  for (const to of ['CANCELLED', 'PENDING', 'WAITING_FOR_PAYMENT'] as const) assert.equal(decideTransition('PAID', to).kind, 'illegal');
  for (const to of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
    assert.equal(canTransition('FINISHED', to), false);
    assert.equal(canTransition('CANCELLED', to), false);
  }
  assert.equal(decideTransition('WAITING_FOR_PAYMENT', 'WAITING_FOR_PAYMENT').kind, 'illegal');
});
