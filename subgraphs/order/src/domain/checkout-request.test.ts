import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseLines } from '../../../../lib/contracts/order-lines.js';
import { checkoutFingerprint } from './checkout-request.js';

const a = { productId: 'a', quantity: 1 };
const b = { productId: 'b', quantity: 2 };

test('the same basket hashes the same whatever the order of its lines or the case of the coupon', () => {
  assert.equal(checkoutFingerprint(normaliseLines([a, b]), 'welcome10', false), checkoutFingerprint(normaliseLines([b, a]), 'WELCOME10', false));
  assert.equal(
    checkoutFingerprint(normaliseLines([a, a]), null, false),
    checkoutFingerprint(normaliseLines([{ productId: 'a', quantity: 2 }]), null, false),
    'duplicate lines are merged first',
  );
});

test('any other quantity, product, coupon or credit choice hashes differently', () => {
  const base = checkoutFingerprint([a, b], null, false);
  for (const other of [
    checkoutFingerprint([a, { ...b, quantity: 3 }], null, false),
    checkoutFingerprint([a], null, false),
    checkoutFingerprint([a, b], 'WELCOME10', false),
    checkoutFingerprint([a, b], null, true),
  ]) {
    assert.notEqual(other, base);
  }
});
