// Pure rules for one checkout request: what makes two requests "the same input" for an
// idempotency key, and how many unpaid orders a customer may hold stock with.
import { createHash } from 'node:crypto';
import type { HoldLine } from '../../../../lib/contracts/order-lines.js';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
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
