import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseLines } from '../../../../lib/contracts/order-lines.js';
import { checkoutFingerprint } from './checkout-request.js';

const a = { productId: 'a', quantity: 1 };
const b = { productId: 'b', quantity: 2 };
const noDetails = { email: null, shippingAddress: null, billingAddress: null, shippingMethod: null };
const address = { name: 'Ann', line1: '1 Main St', line2: null, city: 'Springfield', postalCode: '12345', region: null, country: 'US', phone: null };

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
    checkoutFingerprint([a, b], null, false, { ...noDetails, email: 'ann@example.com' }),
    checkoutFingerprint([a, b], null, false, { ...noDetails, shippingMethod: 'EXPRESS' }),
    checkoutFingerprint([a, b], null, false, { ...noDetails, shippingAddress: address }),
    checkoutFingerprint([a, b], null, false, { ...noDetails, billingAddress: address }),
  ]) {
    assert.notEqual(other, base);
  }
});

test('a checkout without details hashes as it did before details existed', () => {
  assert.equal(checkoutFingerprint([a, b], null, false, noDetails), checkoutFingerprint([a, b], null, false));
});
