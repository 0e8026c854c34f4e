import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphQLError } from 'graphql';
import { validateAddress } from './address.js';

const good = { name: ' Ada Lovelace ', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'gb' };

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GraphQLError);
    assert.equal(err.extensions.code, 'BAD_USER_INPUT');
    return err.extensions.field;
  }
  assert.fail('expected BAD_USER_INPUT');
};

test('an address is trimmed, optional blanks become null, the country upper-cased', () => {
  assert.deepEqual(validateAddress({ ...good, line2: '  ', phone: null }, 'shippingAddress'), {
    name: 'Ada Lovelace',
    line1: '12 St James Sq',
    line2: null,
    city: 'London',
    postalCode: 'SW1Y 4JH',
    region: null,
    country: 'GB',
    phone: null,
  });
});

test('blank required fields, over-long fields and unknown countries are refused, naming the field', () => {
  assert.equal(
    fieldOf(() => validateAddress({ ...good, line1: '   ' }, 'shippingAddress')),
    'shippingAddress.line1',
  );
  assert.equal(
    fieldOf(() => validateAddress({ ...good, city: 'x'.repeat(10_000) }, 'billingAddress')),
    'billingAddress.city',
  );
  for (const country of ['XX', 'GBR', 'EU', '1', '']) {
    assert.equal(
      fieldOf(() => validateAddress({ ...good, country }, 'shippingAddress')),
      'shippingAddress.country',
      country,
    );
  }
});
