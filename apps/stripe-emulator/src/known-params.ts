/**
 * The request parameters Stripe knows, per endpoint we implement, at the API version the SDK pins
 * (stripe v23: 2026-10-28.endive; names taken from the SDK's own *Params types). Stripe refuses
 * anything else with 400 `parameter_unknown`, and so do we: a typo or a parameter removed in a
 * newer version must fail here as it would against api.stripe.com, not be silently ignored.
 *
 * A shape is `true` (anything below is Stripe's business: accepted, maybe not emulated), an
 * object of known keys, or `[item shape]` for an indexed array.
 */
import { StripeApiError } from './errors.js';
import type { FormObject, FormValue } from './form.js';

type Shape = true | { [key: string]: Shape } | [Shape];

const any = true as const;
const keys = (names: string[], nested: Record<string, Shape> = {}): Shape => ({
  ...Object.fromEntries(names.map((n) => [n, any])),
  ...nested,
});

const PRODUCT_DATA = keys(['description', 'images', 'metadata', 'name', 'tax_code', 'tax_details', 'unit_label']);
const PRICE_DATA = keys(['currency', 'product', 'recurring', 'tax_behavior', 'unit_amount', 'unit_amount_decimal'], { product_data: PRODUCT_DATA });
const LINE_ITEM = keys(['adjustable_quantity', 'metadata', 'price', 'quantity', 'tax_rates'], { price_data: PRICE_DATA });
const LIST = ['expand', 'limit', 'starting_after', 'ending_before'];

const SESSION_CREATE = keys(
  [
    'adaptive_pricing',
    'after_expiration',
    'allow_promotion_codes',
    'allowed_payment_method_types',
    'automatic_tax',
    'billing_address_collection',
    'branding_settings',
    'cancel_url',
    'client_reference_id',
    'consent_collection',
    'currency',
    'custom_fields',
    'custom_text',
    'customer',
    'customer_account',
    'customer_creation',
    'customer_email',
    'customer_update',
    'discounts',
    'excluded_payment_method_types',
    'expand',
    'expires_at',
    'integration_identifier',
    'invoice_creation',
    'locale',
    'managed_payments',
    'metadata',
    'mode',
    'name_collection',
    'optional_items',
    'origin_context',
    'payment_intent_data',
    'payment_method_collection',
    'payment_method_configuration',
    'payment_method_data',
    'payment_method_options',
    'permissions',
    'phone_number_collection',
    'redirect_on_completion',
    'return_url',
    'saved_payment_method_options',
    'setup_intent_data',
    'shipping_address_collection',
    'shipping_options',
    'submit_type',
    'subscription_data',
    'success_url',
    'tax_id_collection',
    'ui_mode',
    'wallet_options',
  ],
  { line_items: [LINE_ITEM] },
);

export const KNOWN_PARAMS = {
  sessionCreate: SESSION_CREATE,
  sessionList: keys([...LIST, 'created', 'customer', 'customer_account', 'customer_details', 'payment_intent', 'payment_link', 'status', 'subscription']),
  expandOnly: keys(['expand']),
  lineItemList: keys(LIST),
  refundCreate: keys([
    'amount',
    'charge',
    'currency',
    'customer',
    'expand',
    'instructions_email',
    'metadata',
    'origin',
    'payment_intent',
    'reason',
    'refund_application_fee',
    'reverse_transfer',
  ]),
  refundList: keys([...LIST, 'charge', 'created', 'payment_intent']),
} satisfies Record<string, Shape>;

/**
 * Parameters Stripe removed from Checkout Sessions in versions before the pinned one, which an
 * older integration (or an SDK call typed loosely) could still send, answered with Stripe's words.
 */
const REMOVED_LINE_ITEM_FIELDS = ['amount', 'currency', 'name', 'description', 'images'];
const LEGACY_LINE_ITEMS =
  'You cannot use `line_items.amount`, `line_items.currency`, `line_items.name`, `line_items.description`, or `line_items.images` in this API version. Please use `line_items.price` or `line_items.price_data`. Please see https://stripe.com/docs/payments/checkout/migrating-prices for more information.';
const RENAMED_SESSION_PARAMS: Record<string, string> = {
  shipping_rates: 'shipping_options', // removed in 2022-08-01
  payment_method_types: 'allowed_payment_method_types', // removed in the version stripe v23 pins
};

function unknown(param: string, hint?: string): StripeApiError {
  const message = `Received unknown parameter: ${param}${hint ? `. Did you mean ${hint}?` : ''}`;
  return new StripeApiError(400, 'invalid_request_error', message, 'parameter_unknown', param);
}

/** Refuses the removed Checkout Session parameters with the message Stripe gives for each. */
export function assertNoRemovedSessionParams(params: FormObject): void {
  for (const [name, replacement] of Object.entries(RENAMED_SESSION_PARAMS)) {
    if (params[name] !== undefined) throw unknown(name, replacement);
  }
  const subscription = params.subscription_data;
  if (isObject(subscription) && subscription.items !== undefined) throw unknown('subscription_data[items]', 'line_items');
  const items = params.line_items;
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (isObject(item) && REMOVED_LINE_ITEM_FIELDS.some((f) => item[f] !== undefined)) {
      throw new StripeApiError(400, 'invalid_request_error', LEGACY_LINE_ITEMS);
    }
  }
}

/** 400 `parameter_unknown` for the first parameter the shape does not know, named as Stripe names it (`a[b][0][c]`). */
export function assertKnownParams(params: FormObject, shape: Shape): void {
  check(params, shape, '');
}

function check(value: FormValue, shape: Shape, path: string): void {
  if (shape === true || typeof value === 'string') return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) value.forEach((item, i) => check(item, shape[0], `${path}[${i}]`));
    return; // a hash where an array belongs is a type error for the endpoint's own validation
  }
  if (Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const name = path ? `${path}[${key}]` : key;
    const known = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (known === undefined) throw unknown(name);
    check(child, known, name);
  }
}

function isObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && !Array.isArray(value);
}
