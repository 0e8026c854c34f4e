// Pure rules for what a checkout says beyond its lines: the contact email, the addresses and the
// shipping method. Checked before anything is held; whether shipping is needed at all is known
// only once inventory has answered with the held lines (shippingProblem).
import { validateAddress, type Address, type AddressInput } from '../../../../lib/contracts/address.js';
import { validateEmail } from '../../../../lib/contracts/email.js';
import { badInput } from '../../../../lib/contracts/errors.js';

export interface CheckoutDetailsInput {
  email?: string | null;
  shippingAddress?: AddressInput | null;
  billingAddress?: AddressInput | null;
  shippingMethod?: string | null;
}

export interface CheckoutDetails {
  email: string | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  /** A shipping method's code, upper case. */
  shippingMethod: string | null;
}

/** What a method needs to say where it ships. */
export interface ShippingMethodScope {
  code: string;
  /** ISO 3166-1 alpha-2 codes; empty: everywhere. */
  countries: string[];
}

const SHIPPING_METHOD_CODE = /^[A-Z0-9_-]{1,64}$/;

export const normaliseShippingMethodCode = (code: string) => code.trim().toUpperCase();

export function validateShippingMethodCode(input: string, field = 'shippingMethod'): string {
  const code = normaliseShippingMethodCode(input);
  if (!SHIPPING_METHOD_CODE.test(code)) throw badInput(`${field} must be 1 to 64 letters, digits, _ or -`, { field });
  return code;
}

/** The details trimmed and checked; BAD_USER_INPUT naming the first bad field. */
export function validateCheckoutDetails(input: CheckoutDetailsInput): CheckoutDetails {
  return {
    email: input.email?.trim() ? validateEmail(input.email) : null,
    shippingAddress: input.shippingAddress ? validateAddress(input.shippingAddress, 'shippingAddress') : null,
    billingAddress: input.billingAddress ? validateAddress(input.billingAddress, 'billingAddress') : null,
    shippingMethod: input.shippingMethod?.trim() ? validateShippingMethodCode(input.shippingMethod) : null,
  };
}

export const shipsTo = (method: ShippingMethodScope, country: string) => method.countries.length === 0 || method.countries.includes(country);

/**
 * The chosen method exists and ships to the shipping address (when there is one yet). Checked
 * before the try step, so a wrong method holds nothing.
 */
export function checkShippingMethod(method: ShippingMethodScope | null, details: CheckoutDetails): void {
  if (!details.shippingMethod) return;
  if (!method) throw badInput(`shippingMethod ${details.shippingMethod} does not exist`, { field: 'shippingMethod' });
  const country = details.shippingAddress?.country;
  if (country && !shipsTo(method, country)) {
    throw badInput(`shippingMethod ${method.code} does not ship to ${country}`, { field: 'shippingMethod' });
  }
}

/** Goods that ship need an address and a method; BAD_USER_INPUT naming what is missing. */
export function shippingProblem(needsShipping: boolean, details: CheckoutDetails): Error | null {
  if (!needsShipping) return null;
  if (!details.shippingAddress) return badInput('shippingAddress is required: these products ship', { field: 'shippingAddress' });
  if (!details.shippingMethod) return badInput('shippingMethod is required: these products ship', { field: 'shippingMethod' });
  return null;
}

/** Tax follows the goods: the shipping address, or the billing address when nothing ships. */
export const taxAddressOf = (needsShipping: boolean, details: CheckoutDetails): Address | null =>
  needsShipping ? details.shippingAddress : (details.billingAddress ?? details.shippingAddress);
