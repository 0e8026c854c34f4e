/**
 * Refund and Charge objects in the shape the Stripe API returns, typed against the SDK's
 * definitions. The Charge exists only as the `data.object` of `charge.refunded`: the emulator
 * has no /v1/charges, but receivers read `refunded`, `amount_refunded` and `payment_intent`.
 */
import type Stripe from 'stripe';
import { newId, nowSeconds } from './ids.js';
import type { SessionRecord } from './sessions.js';

export interface RefundInput {
  paymentIntent: string;
  amount: number;
  currency: string;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
  status: 'pending' | 'succeeded';
}

/** Stripe's charge id is its own; deriving it from the payment intent keeps one charge per intent. */
export function chargeIdOf(paymentIntent: string): string {
  return `ch_${paymentIntent.slice(3)}`;
}

export function buildRefund(input: RefundInput): Stripe.Refund {
  return {
    id: newId('re'),
    object: 'refund',
    amount: input.amount,
    balance_transaction: input.status === 'succeeded' ? newId('txn') : null,
    charge: chargeIdOf(input.paymentIntent),
    created: nowSeconds(),
    currency: input.currency,
    customer: null,
    customer_account: null,
    metadata: input.metadata,
    payment_intent: input.paymentIntent,
    payment_method: null,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: input.status,
    transfer_reversal: null,
  };
}

/** The session's charge as it stands, with every refund not failed counted in amount_refunded. */
export function buildCharge(record: SessionRecord): Stripe.Charge {
  const { session } = record;
  const paymentIntent = String(session.payment_intent);
  const amount = session.amount_total ?? 0;
  const charge: Omit<Stripe.Charge, 'billing_details' | 'outcome' | 'payment_method_details' | 'fraud_details' | 'shipping' | 'source'> = {
    id: chargeIdOf(paymentIntent),
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: record.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    calculated_statement_descriptor: null,
    captured: true,
    created: session.created,
    currency: session.currency ?? 'usd',
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    paid: true,
    payment_intent: paymentIntent,
    payment_method: null,
    receipt_email: session.customer_details?.email ?? null,
    receipt_number: null,
    receipt_url: null,
    refunded: record.amountRefunded >= amount,
    review: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
  // The nested objects we do not emulate are reported as Stripe reports them when absent.
  return {
    ...charge,
    billing_details: null,
    outcome: null,
    payment_method_details: null,
    fraud_details: null,
    shipping: null,
    source: null,
  } as unknown as Stripe.Charge;
}
