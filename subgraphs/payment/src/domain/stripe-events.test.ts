import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MOVES_FROM, amountMatches, intentOf, mayStillBeOurs, refundIntentOf } from './stripe-events.js';

test('completed counts when paid, is processing when unpaid (bank debits); unknown types are ignored', () => {
  assert.equal(intentOf('checkout.session.completed', 'paid'), 'succeeded');
  assert.equal(intentOf('checkout.session.completed', 'unpaid'), 'processing');
  assert.equal(intentOf('checkout.session.completed', 'no_payment_required'), 'ignored');
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

test('refund events move a payment only on a final outcome', () => {
  assert.equal(refundIntentOf('refund.created', { status: 'pending' }), 'ignored');
  assert.equal(refundIntentOf('refund.updated', { status: 'succeeded' }), 'refunded');
  assert.equal(refundIntentOf('refund.updated', { status: 'failed' }), 'refund_failed');
  assert.equal(refundIntentOf('refund.failed', { status: 'failed' }), 'refund_failed');
  assert.equal(refundIntentOf('charge.refunded', { refunded: true }), 'refunded');
  assert.equal(refundIntentOf('charge.refunded', { refunded: false }), 'ignored', 'a partial refund is not the whole payment back');
});

test('an unmatched session is ours only with our order id and within the grace period', () => {
  const now = new Date('2026-01-01T00:10:00Z');
  const created = Date.parse('2026-01-01T00:05:00Z') / 1000;
  assert.ok(mayStillBeOurs({ metadata: { orderId: 'o-1' }, created }, now, 10 * 60_000));
  assert.ok(!mayStillBeOurs({ metadata: { orderId: 'o-1' }, created }, now, 60_000), 'too old');
  assert.ok(!mayStillBeOurs({ metadata: {}, created }, now, 10 * 60_000), 'not one of ours');
});
