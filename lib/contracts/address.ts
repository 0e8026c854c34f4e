// A postal address as the API takes and shows it, and the one check every entry point runs:
// required fields non-blank, every field bounded, the country an ISO 3166-1 alpha-2 code
// (i18n-iso-countries' list, so the check follows ISO's assignments rather than a list of ours).
import countries from 'i18n-iso-countries';
import { badInput } from './errors.js';

export interface Address {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  region: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  phone: string | null;
}

export type AddressInput = { [K in keyof Address]?: string | null };

const LIMITS: Record<keyof Address, { max: number; required: boolean }> = {
  name: { max: 200, required: true },
  line1: { max: 200, required: true },
  line2: { max: 200, required: false },
  city: { max: 100, required: true },
  postalCode: { max: 20, required: true },
  region: { max: 100, required: false },
  country: { max: 2, required: true },
  phone: { max: 40, required: false },
};

/** The address trimmed and checked; BAD_USER_INPUT naming the field (`shippingAddress.line1`) otherwise. */
export function validateAddress(input: AddressInput, field: string): Address {
  const out = {} as Record<keyof Address, string | null>;
  for (const [key, limit] of Object.entries(LIMITS) as [keyof Address, { max: number; required: boolean }][]) {
    const value = input[key]?.trim() || null;
    if (!value && limit.required) throw badInput(`${field}.${key} is required`, { field: `${field}.${key}` });
    if (value && value.length > limit.max) throw badInput(`${field}.${key} may be at most ${limit.max} characters`, { field: `${field}.${key}` });
    out[key] = value;
  }
  const country = out.country!.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !countries.isValid(country)) {
    throw badInput(`${field}.country must be an ISO 3166-1 alpha-2 code such as US or DE`, { field: `${field}.country` });
  }
  return { ...(out as unknown as Address), country };
}
