import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkShippingMethod, shippingProblem, taxAddressOf, validateCheckoutDetails } from './checkout-details.js';

const us = { name: 'Ann', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'us' };
const de = { ...us, country: 'DE' };
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { field?: string } }).extensions?.field;
  }
  return undefined;
};

test('details are trimmed and normalised; blank ones are absent', () => {
  const d = validateCheckoutDetails({ email: ' Ann@Example.COM ', shippingAddress: us, shippingMethod: ' standard ' });
  assert.equal(d.email, 'ann@example.com');
  assert.equal(d.shippingAddress?.country, 'US');
  assert.equal(d.shippingMethod, 'STANDARD');
  assert.deepEqual(validateCheckoutDetails({ email: '  ', shippingMethod: '' }), {
    email: null,
    shippingAddress: null,
    billingAddress: null,
    shippingMethod: null,
  });
});

test('a bad field is named', () => {
  assert.equal(
    fieldOf(() => validateCheckoutDetails({ email: 'a@b' })),
    'email',
  );
  assert.equal(
    fieldOf(() => validateCheckoutDetails({ billingAddress: { ...us, city: ' ' } })),
    'billingAddress.city',
  );
  assert.equal(
    fieldOf(() => validateCheckoutDetails({ shippingMethod: 'no spaces please' })),
    'shippingMethod',
  );
});

test('a method must exist and ship to the address; no countries means everywhere', () => {
  const details = validateCheckoutDetails({ shippingAddress: us, shippingMethod: 'EU' });
  assert.equal(
    fieldOf(() => checkShippingMethod(null, details)),
    'shippingMethod',
  );
  assert.equal(
    fieldOf(() => checkShippingMethod({ code: 'EU', countries: ['DE', 'FR'] }, details)),
    'shippingMethod',
  );
  assert.doesNotThrow(() => checkShippingMethod({ code: 'EU', countries: [] }, details));
  assert.doesNotThrow(() => checkShippingMethod({ code: 'EU', countries: ['US'] }, details));
});

test('shipped goods need an address and a method; tax follows the shipping address, else billing', () => {
  const none = validateCheckoutDetails({});
  assert.equal(shippingProblem(false, none), null);
  assert.equal((shippingProblem(true, none) as { extensions?: { field?: string } }).extensions?.field, 'shippingAddress');
  const both = validateCheckoutDetails({ shippingAddress: us, billingAddress: de, shippingMethod: 'STANDARD' });
  assert.equal(shippingProblem(true, both), null);
  assert.equal(taxAddressOf(true, both)?.country, 'US');
  assert.equal(taxAddressOf(false, both)?.country, 'DE');
});
