// placeOrder, the one-call checkout: validates lines, coupon, email, addresses and the shipping
// method (nothing written on failure), picks the order id from the customer's idempotency key,
// then runs the same checkout steps as a cart (checkout.ts).
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { validateLines } from '../../../../lib/contracts/order-lines.js';
import { checkShippingMethod, validateCheckoutDetails, type CheckoutDetailsInput } from '../domain/checkout-details.js';
import { checkoutFingerprint, validCouponCode, validIdempotencyKey } from '../domain/checkout-request.js';
import { ShippingMethodEntity, type OrderRow } from '../persistence/entities.js';
import { checkout, type CheckoutDeps } from './checkout.js';

export interface PlaceOrderInput extends CheckoutDetailsInput {
  user: AuthUser;
  items: { productId: string; quantity: number }[];
  couponCode?: string | null;
  useStoreCredit?: boolean | null;
  idempotencyKey?: string | null;
}

/** Idempotency keys are per customer: the same key from the same customer names the same order. */
const IDEMPOTENCY_NAMESPACE = '6f1c1f4e-3f8a-4a0e-9d4c-0c7c2b8f5a11';
const orderIdFor = (customerId: string, key: string | null | undefined) => (key ? uuidv5(`${customerId}\n${key}`, IDEMPOTENCY_NAMESPACE) : randomUUID());

export async function placeOrder(deps: CheckoutDeps, input: PlaceOrderInput): Promise<OrderRow> {
  const { user } = input;
  const lines = validateLines(input.items);
  const couponCode = validCouponCode(input.couponCode);
  const idempotencyKey = validIdempotencyKey(input.idempotencyKey);
  const details = validateCheckoutDetails(input);
  const useStoreCredit = !!input.useStoreCredit;
  const method = details.shippingMethod ? await deps.db.manager.findOneBy(ShippingMethodEntity, { code: details.shippingMethod }) : null;
  checkShippingMethod(method, details);
  return checkout(deps, {
    orderId: orderIdFor(user.id, idempotencyKey),
    buyer: { customerId: user.id, guest: false },
    lines,
    couponCode,
    useStoreCredit,
    details,
    method,
    idempotencyKey,
    inputHash: checkoutFingerprint(lines, couponCode, useStoreCredit, details),
  });
}
