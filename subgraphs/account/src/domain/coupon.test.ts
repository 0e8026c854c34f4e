import assert from 'node:assert/strict';
import { test } from 'node:test';
import { couponDiscount } from '../../../../lib/contracts/coupons.js';
import { couponInputProblem, couponProblem } from './coupon.js';
import type { CouponRow } from '../persistence/entities.js';

const base: CouponRow = {
  code: 'X',
  percentOff: 10,
  amountOff: null,
  currency: 'USD',
  customerId: null,
  expiresAt: null,
  maxRedemptions: null,
  maxRedemptionsPerCustomer: null,
  public: false,
  redemptions: 0,
  createdAt: new Date(),
};
const now = new Date('2026-01-01T00:00:00Z');

test('percent and amount discounts never exceed the subtotal', () => {
  assert.equal(couponDiscount({ percentOff: 10, amountOff: null }, 1999), 199);
  assert.equal(couponDiscount({ percentOff: 100, amountOff: null }, 500), 500);
  assert.equal(couponDiscount({ percentOff: null, amountOff: 800 }, 500), 500);
  assert.equal(couponDiscount({ percentOff: null, amountOff: 300 }, 500), 300);
});

test('coupon problems: unknown, expired, someone else’s, used up, used up by this customer', () => {
  assert.equal(couponProblem(null, 'c1', 'USD', now, 0), 'unknown');
  assert.equal(couponProblem({ ...base, expiresAt: new Date('2025-12-31T00:00:00Z') }, 'c1', 'USD', now, 0), 'expired');
  assert.equal(couponProblem({ ...base, customerId: 'c2' }, 'c1', 'USD', now, 0), 'not-yours');
  assert.equal(couponProblem({ ...base, maxRedemptions: 1, redemptions: 1 }, 'c1', 'USD', now, 0), 'used-up');
  assert.equal(couponProblem({ ...base, maxRedemptionsPerCustomer: 2 }, 'c1', 'USD', now, 1), null);
  assert.equal(couponProblem({ ...base, maxRedemptionsPerCustomer: 2 }, 'c1', 'USD', now, 2), 'used-by-you');
  assert.equal(couponProblem(base, 'c1', 'USD', now, 7), null, 'no per-customer limit');
});

test('issueCoupon input needs exactly one of percentOff or amountOff', () => {
  assert.match(couponInputProblem({ code: 'ABC', percentOff: 10, amountOff: 100 }, now)!, /exactly one/);
  assert.match(couponInputProblem({ code: 'ABC' }, now)!, /exactly one/);
  assert.match(couponInputProblem({ code: 'ABC', percentOff: 150 }, now)!, /1 to 100/);
  assert.equal(couponInputProblem({ code: 'ABC', amountOff: 100 }, now), null);
  assert.match(couponInputProblem({ code: 'ABC', amountOff: 100, maxRedemptionsPerCustomer: 0 }, now)!, /maxRedemptionsPerCustomer/);
  assert.equal(couponInputProblem({ code: 'ABC', amountOff: 100, maxRedemptionsPerCustomer: 1, public: true }, now), null);
});
