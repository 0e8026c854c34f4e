// Pure rules for one checkout request: its coupon code and idempotency key, what makes two
// requests "the same input" for an idempotency key, and which orders count as unpaid.
import { createHash } from 'node:crypto';
import type { HoldLine } from '../../../../lib/contracts/order-lines.js';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
import { badInput } from '../../../../lib/contracts/errors.js';
import type { CheckoutDetails } from './checkout-details.js';

/** The statuses in which an order still holds stock without having been paid. */
export const OPEN_STATUSES: OrderStatus[] = ['PENDING', 'WAITING_FOR_PAYMENT'];

/**
 * A hash of what was asked for, as Stripe keeps one per idempotency key: the same key with other
 * input is a mistake to report, not a reason to return an order for something else. Lines come
 * normalised (merged, sorted), so the same basket in another order hashes the same; details come
 * validated (trimmed, cases normalised). A checkout without any details hashes as before they existed.
 */
export function checkoutFingerprint(lines: HoldLine[], couponCode: string | null, useStoreCredit: boolean, details?: CheckoutDetails): string {
  const given = details && Object.values(details).some((v) => v !== null);
  const canonical = JSON.stringify({
    lines: lines.map((l) => [l.productId, l.quantity]),
    couponCode: couponCode?.toUpperCase() ?? null,
    useStoreCredit,
    ...(given ? { details: [details.email, details.shippingAddress, details.billingAddress, details.shippingMethod] } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export function validCouponCode(code: string | null | undefined): string | null {
  const trimmed = code?.trim() || null;
  if (trimmed && trimmed.length > 64) throw badInput('couponCode is too long', { field: 'couponCode' });
  return trimmed;
}

export function validIdempotencyKey(key: string | null | undefined): string | null {
  if (key === undefined || key === null) return null;
  if (key.length < 1 || key.length > 200) throw badInput('idempotencyKey must be 1 to 200 characters', { field: 'idempotencyKey' });
  return key;
}
