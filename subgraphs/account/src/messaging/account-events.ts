// The events account publishes for the order subgraph's cart: a coupon's terms and a customer's
// store credit balance. Written in the transaction that changes them, and by the backfill migration
// for coupons and balances from before.
import { v5 as uuidv5 } from 'uuid';
import { newEvent, type NewEvent } from '../../../../lib/contracts/events.js';
import type { CouponRow, CustomerRow } from '../persistence/entities.js';

/**
 * Fixed for good: a coupon's aggregateId is its code's uuidv5 in this namespace (the outbox's
 * aggregate_id holds a 36-character uuid, a code may be 64 characters), and a consumer that keys
 * by aggregateId must see every event of one code under one id.
 */
export const COUPON_AGGREGATE_NAMESPACE = 'd90f850f-3e7e-42f6-8fa1-16ae65cf634d';

export const couponAggregateId = (code: string) => uuidv5(code, COUPON_AGGREGATE_NAMESPACE);

/** Nothing changes a coupon's terms once it is issued, so each coupon has one version. */
export const COUPON_VERSION = 1;

export type CouponTerms = Pick<CouponRow, 'code' | 'percentOff' | 'amountOff' | 'currency' | 'customerId' | 'expiresAt'>;

export function couponChanged(coupon: CouponTerms): NewEvent<'coupon.changed'> {
  const { code, percentOff, amountOff, currency, customerId, expiresAt } = coupon;
  return newEvent(
    'coupon.changed',
    couponAggregateId(code),
    { code, percentOff, amountOff, currency, customerId, expiresAt: expiresAt ? expiresAt.toISOString() : null },
    COUPON_VERSION,
  );
}

export type CreditBalance = Pick<CustomerRow, 'id' | 'storeCredit' | 'creditVersion'>;

/** The balance after a change, ordered by its version: consumers keep the highest. */
export function creditChanged(customer: CreditBalance, storeCurrency: string): NewEvent<'customer.credit_changed'> {
  return newEvent(
    'customer.credit_changed',
    customer.id,
    { customerId: customer.id, storeCredit: customer.storeCredit, currency: storeCurrency },
    customer.creditVersion,
  );
}
