// Pure coupon rules: who may use a coupon and what a valid coupon looks like (what it takes off is
// lib/contracts/coupons.ts, which carts use too).
import type { CouponRow } from '../persistence/entities.js';

export type CouponProblem = 'unknown' | 'expired' | 'not-yours' | 'used-up' | 'used-by-you' | 'currency';

/** usedByCustomer: how many live holds (not released or expired) of other orders this customer has with it. */
export function couponProblem(coupon: CouponRow | null, customerId: string, currency: string, now: Date, usedByCustomer: number): CouponProblem | null {
  if (!coupon) return 'unknown';
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (coupon.customerId && coupon.customerId !== customerId) return 'not-yours';
  if (coupon.maxRedemptions !== null && coupon.redemptions >= coupon.maxRedemptions) return 'used-up';
  if (coupon.maxRedemptionsPerCustomer !== null && usedByCustomer >= coupon.maxRedemptionsPerCustomer) return 'used-by-you';
  if (coupon.amountOff !== null && coupon.currency !== currency) return 'currency';
  return null;
}

export interface CouponInput {
  code: string;
  percentOff?: number | null;
  amountOff?: number | null;
  expiresAt?: Date | null;
  maxRedemptions?: number | null;
  maxRedemptionsPerCustomer?: number | null;
  public?: boolean | null;
}

/** The first thing wrong with an issueCoupon input, as a message for the admin; null when valid. */
export function couponInputProblem(input: CouponInput, now: Date): string | null {
  if (!/^[A-Z0-9_-]{3,64}$/i.test(input.code)) return 'code must be 3 to 64 letters, digits, - or _';
  const hasPercent = input.percentOff !== null && input.percentOff !== undefined;
  const hasAmount = input.amountOff !== null && input.amountOff !== undefined;
  if (hasPercent === hasAmount) return 'give exactly one of percentOff or amountOff';
  if (hasPercent && (input.percentOff! < 1 || input.percentOff! > 100)) return 'percentOff must be 1 to 100';
  if (hasAmount && input.amountOff! < 1) return 'amountOff must be a positive amount in minor units';
  if (input.maxRedemptions !== null && input.maxRedemptions !== undefined && input.maxRedemptions < 1) return 'maxRedemptions must be at least 1';
  const perCustomer = input.maxRedemptionsPerCustomer;
  if (perCustomer !== null && perCustomer !== undefined && perCustomer < 1) return 'maxRedemptionsPerCustomer must be at least 1';
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) return 'expiresAt must be in the future';
  return null;
}
