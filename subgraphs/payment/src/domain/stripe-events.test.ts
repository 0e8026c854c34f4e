import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MOVES_FROM, amountMatches, intentOf } from './stripe-events.js';

test('completed counts only when paid; unknown types are ignored', () => {
  assert.equal(intentOf('checkout.session.completed', 'paid'), 'succeeded');
  assert.equal(intentOf('checkout.session.completed', 'unpaid'), 'ignored');
  assert.equal(intentOf('checkout.session.async_payment_succeeded', 'paid'), 'succeeded');
  assert.equal(intentOf('checkout.session.expired', 'unpaid'), 'expired');
  assert.equal(intentOf('checkout.session.async_payment_failed', 'unpaid'), 'failed');
  assert.equal(intentOf('customer.created', null), 'ignored');
});

test('a late expiry never un-pays', () => {
  assert.ok(!MOVES_FROM.expired.includes('SUCCEEDED'));
  assert.ok(!MOVES_FROM.failed.includes('SUCCEEDED'));
});

test('amount and currency must both match', () => {
  assert.ok(amountMatches({ amount: 1000, currency: 'USD' }, { amount_total: 1000, currency: 'usd' }));
  assert.ok(!amountMatches({ amount: 1000, currency: 'USD' }, { amount_total: 999, currency: 'usd' }));
  assert.ok(!amountMatches({ amount: 1000, currency: 'USD' }, { amount_total: 1000, currency: 'eur' }));
});
