/**
 * POST /v1/refunds against payment intents created by paying a Checkout Session.
 * Refunds succeed immediately (as Stripe test-mode card refunds do); no events are sent.
 */
import type Stripe from 'stripe';
import { invalidParam, missingParam, resourceMissing, stateError } from './errors.js';
import type { FormObject } from './form.js';
import { newId, nowSeconds } from './ids.js';
import { formatAmount } from './money.js';
import { optInteger, optString, readMetadata } from './params.js';
import type { SessionStore } from './sessions.js';

const REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);

export function createRefund(store: SessionStore, params: FormObject): Stripe.Refund {
  if (params.charge !== undefined) {
    throw invalidParam('charge', 'The Stripe emulator supports refunds by payment_intent only.');
  }
  const paymentIntent = optString(params, 'payment_intent');
  if (paymentIntent === undefined) throw missingParam('payment_intent');
  const amount = optInteger(params, 'amount');
  if (amount !== undefined && amount < 1) throw invalidParam('amount', 'This value must be greater than or equal to 1.');
  const reason = optString(params, 'reason') ?? null;
  if (reason !== null && !REASONS.has(reason)) throw invalidParam('reason', `Invalid reason: must be one of ${[...REASONS].join(', ')}`);
  const metadata = readMetadata(params);

  const record = store.findByPaymentIntent(paymentIntent);
  // Stripe answers 400 (not 404) when a referenced object in the body does not exist.
  if (!record) throw resourceMissing('payment_intent', paymentIntent, 400, 'payment_intent');
  const { session } = record;
  const total = session.amount_total ?? 0;
  const currency = session.currency ?? 'usd';
  const remaining = total - record.amountRefunded;
  if (remaining <= 0) {
    throw stateError(`Charge for payment intent ${paymentIntent} has already been refunded.`, 'charge_already_refunded');
  }
  const refundAmount = amount ?? remaining;
  if (refundAmount > remaining) {
    throw stateError(
      `Refund amount (${formatAmount(refundAmount, currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, currency)})`,
      'amount_too_large',
      'amount',
    );
  }
  record.amountRefunded += refundAmount;
  return {
    id: newId('re'),
    object: 'refund',
    amount: refundAmount,
    balance_transaction: newId('txn'),
    charge: `ch_${paymentIntent.slice(3)}`,
    created: nowSeconds(),
    currency,
    customer: null,
    customer_account: null,
    metadata,
    payment_intent: paymentIntent,
    payment_method: null,
    reason: reason as Stripe.Refund.Reason | null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}
