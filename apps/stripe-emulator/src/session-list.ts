/**
 * GET /v1/checkout/sessions: Stripe's filters (payment_intent, status, created, customer_details[email],
 * and customer / customer_account / payment_link / subscription, which our sessions never have,
 * so those match nothing) over the sessions not yet pruned, newest first.
 */
import type Stripe from 'stripe';
import { invalidParam } from './errors.js';
import type { FormObject } from './form.js';
import { createdFilter, paginate } from './list.js';
import { optObject, optString } from './params.js';
import type { SessionStore } from './sessions.js';

const STATUSES = new Set(['open', 'complete', 'expired']);
const NEVER_SET = ['customer', 'customer_account', 'payment_link', 'subscription'];

export function listSessions(store: SessionStore, params: FormObject): Stripe.ApiList<Stripe.Checkout.Session> {
  const paymentIntent = optString(params, 'payment_intent');
  const status = optString(params, 'status');
  if (status !== undefined && !STATUSES.has(status)) {
    throw invalidParam('status', `Invalid status: must be one of ${[...STATUSES].join(', ')}`);
  }
  const email = optString(optObject(params, 'customer_details') ?? {}, 'email', 'customer_details[email]');
  const created = createdFilter(params);
  const impossible = NEVER_SET.some((name) => optString(params, name) !== undefined);
  const matching = impossible
    ? []
    : store
        .newestFirst()
        .map((r) => r.session)
        .filter(
          (s) =>
            (paymentIntent === undefined || s.payment_intent === paymentIntent) &&
            (status === undefined || s.status === status) &&
            (email === undefined || s.customer_details?.email === email) &&
            (created === undefined || created(s.created)),
        );
  const page = paginate(matching, params, '/v1/checkout/sessions', 'checkout.session');
  return { ...page, data: page.data.map((s) => structuredClone(s)) };
}
