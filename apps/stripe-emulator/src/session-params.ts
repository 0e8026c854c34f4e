/**
 * Validation of POST /v1/checkout/sessions params: the subset of Stripe Checkout our
 * payment subgraph uses (one-off card payments with inline `price_data`). Anything we
 * cannot honour is rejected with a 400 rather than silently mis-emulated.
 */
import { invalidParam, missingParam } from './errors.js';
import type { FormObject } from './form.js';
import { assertAboveMinimumCharge } from './minimum-charge.js';
import { isKnownCurrency, MAX_AMOUNT } from './money.js';
import { optArray, optInteger, optObject, optString, readMetadata, reqString } from './params.js';
import { nowSeconds } from './ids.js';

export interface LineItemInput {
  name: string;
  description: string | null;
  currency: string;
  unitAmount: number;
  quantity: number;
}

export interface SessionInput {
  lineItems: LineItemInput[];
  currency: string;
  amountTotal: number;
  metadata: Record<string, string>;
  successUrl: string | null;
  cancelUrl: string | null;
  expiresAt: number;
  clientReferenceId: string | null;
  customerEmail: string | null;
  /** What the hosted page offers: card, and ACH debit (`us_bank_account`) for USD sessions. */
  paymentMethodTypes: PaymentMethodType[];
  /** `allowed_payment_method_types` as sent, reported back on the session; null when not sent. */
  allowedPaymentMethodTypes: PaymentMethodType[] | null;
}

export type PaymentMethodType = 'card' | 'us_bank_account';

export interface SessionRules {
  /**
   * Accept `expires_at` under Stripe's 30-minute minimum (still in the future), so tests can
   * watch a session expire; from STRIPE_EMULATOR_ALLOW_SHORT_EXPIRY.
   */
  allowShortExpiry: boolean;
}

/** Params we accept and honour; other (valid Stripe) params are accepted but ignored, and logged. */
export const SUPPORTED_SESSION_PARAMS = new Set([
  'mode',
  'line_items',
  'metadata',
  'success_url',
  'cancel_url',
  'expires_at',
  'client_reference_id',
  'customer_email',
  'expand',
  'allowed_payment_method_types',
]);

const MAX_EXPIRY_SECONDS = 24 * 60 * 60;
const MIN_EXPIRY_SECONDS = 30 * 60;

function url(params: FormObject, key: string): string | null {
  const v = optString(params, key, key, 5000);
  if (v === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw invalidParam(key, 'Not a valid URL', 'url_invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidParam(key, 'Not a valid URL', 'url_invalid');
  return v;
}

function lineItem(raw: unknown, i: number): LineItemInput {
  const path = `line_items[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParam(path, `Invalid object: ${path} must be a hash.`);
  const item = raw as FormObject;
  if (item.price !== undefined) {
    throw invalidParam(`${path}[price]`, 'The Stripe emulator supports only line_items[][price_data], not saved prices.');
  }
  const priceData = optObject(item, 'price_data', `${path}[price_data]`);
  if (!priceData) throw missingParam(`${path}[price_data]`);
  const pd = `${path}[price_data]`;
  const currency = reqString(priceData, 'currency', `${pd}[currency]`).toLowerCase();
  if (!isKnownCurrency(currency)) throw invalidParam(`${pd}[currency]`, `Invalid currency: ${currency}.`);
  const unitAmount = optInteger(priceData, 'unit_amount', `${pd}[unit_amount]`);
  if (unitAmount === undefined) throw missingParam(`${pd}[unit_amount]`);
  if (unitAmount < 0) throw invalidParam(`${pd}[unit_amount]`, 'This value must be greater than or equal to 0.');
  if (unitAmount > MAX_AMOUNT) throw invalidParam(`${pd}[unit_amount]`, `This value must be less than or equal to ${MAX_AMOUNT}.`);
  const product = optObject(priceData, 'product_data', `${pd}[product_data]`);
  if (!product) throw missingParam(`${pd}[product_data]`);
  const name = reqString(product, 'name', `${pd}[product_data][name]`);
  const description = optString(product, 'description', `${pd}[product_data][description]`) ?? null;
  const quantity = optInteger(item, 'quantity', `${path}[quantity]`);
  if (quantity === undefined) throw missingParam(`${path}[quantity]`);
  if (quantity < 1) throw invalidParam(`${path}[quantity]`, 'This value must be greater than or equal to 1.');
  return { name, description, currency, unitAmount, quantity };
}

export function parseSessionParams(params: FormObject, rules: SessionRules): SessionInput {
  const mode = optString(params, 'mode');
  if (mode === undefined) throw missingParam('mode');
  if (mode !== 'payment') throw invalidParam('mode', `The Stripe emulator supports only mode=payment (got '${mode}').`);

  const rawItems = optArray(params, 'line_items');
  if (!rawItems || rawItems.length === 0) throw missingParam('line_items');
  if (rawItems.length > 100) throw invalidParam('line_items', 'You may only specify up to 100 line items.');
  const lineItems = rawItems.map(lineItem);
  const currency = lineItems[0]!.currency;
  if (lineItems.some((li) => li.currency !== currency)) {
    throw invalidParam('line_items', 'All line items must use the same currency.');
  }
  const amountTotal = lineItems.reduce((sum, li) => sum + li.unitAmount * li.quantity, 0);
  if (amountTotal > MAX_AMOUNT) throw invalidParam('line_items', "The Checkout Session's total amount due is too large.", 'amount_too_large');
  assertAboveMinimumCharge(amountTotal, currency);

  const now = nowSeconds();
  const expiresAt = readExpiry(params, now, rules);
  const customerEmail = optString(params, 'customer_email', 'customer_email', 800) ?? null;
  if (customerEmail !== null && !/^[^@\s]+@[^@\s]+$/.test(customerEmail)) {
    throw invalidParam('customer_email', `Invalid email address: ${customerEmail}`, 'email_invalid');
  }
  const allowed = readPaymentMethodTypes(params);
  // ACH debit exists only for USD; Stripe leaves it out of a session in another currency.
  const offered: PaymentMethodType[] = currency === 'usd' ? ['card', 'us_bank_account'] : ['card'];
  const paymentMethodTypes = allowed ? offered.filter((m) => allowed.includes(m)) : offered;
  if (paymentMethodTypes.length === 0) {
    throw invalidParam('allowed_payment_method_types', `None of the allowed payment method types can be used with currency ${currency}.`);
  }

  return {
    lineItems,
    currency,
    amountTotal,
    metadata: readMetadata(params),
    successUrl: url(params, 'success_url'),
    cancelUrl: url(params, 'cancel_url'),
    expiresAt,
    clientReferenceId: optString(params, 'client_reference_id', 'client_reference_id', 200) ?? null,
    customerEmail,
    paymentMethodTypes,
    allowedPaymentMethodTypes: allowed ?? null,
  };
}

/** Stripe's window: at least 30 minutes (unless rules.allowShortExpiry) and at most 24 hours ahead; default 24 hours. */
function readExpiry(params: FormObject, now: number, rules: SessionRules): number {
  const requested = optInteger(params, 'expires_at');
  if (requested === undefined) return now + MAX_EXPIRY_SECONDS;
  if (requested > now + MAX_EXPIRY_SECONDS) {
    throw invalidParam('expires_at', 'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.');
  }
  if (rules.allowShortExpiry) {
    if (requested <= now) throw invalidParam('expires_at', 'The `expires_at` timestamp must be in the future.');
  } else if (requested < now + MIN_EXPIRY_SECONDS) {
    throw invalidParam('expires_at', 'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.');
  }
  return requested;
}

function readPaymentMethodTypes(params: FormObject): PaymentMethodType[] | undefined {
  const raw = optArray(params, 'allowed_payment_method_types');
  if (!raw) return undefined;
  return raw.map((m, i) => {
    if (m !== 'card' && m !== 'us_bank_account') {
      throw invalidParam(`allowed_payment_method_types[${i}]`, 'The Stripe emulator supports only the payment method types card and us_bank_account.');
    }
    return m;
  });
}
