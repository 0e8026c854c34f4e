// Every integration event, typed once: producers and consumers in all subgraphs import these.
import { randomUUID } from 'node:crypto';
import type { Address } from './address.js';
import type { PricedLine } from './order-lines.js';

/**
 * A Payment's fixed fields, as payment.checkout_created announces them to the order subgraph: it
 * keeps them on the order so that live pushes carry them without a fetch from the payment subgraph.
 */
export interface PaymentLink {
  paymentId: string;
  sessionId: string;
  checkoutUrl: string | null;
}

export type OrderStatus = 'PENDING' | 'WAITING_FOR_PAYMENT' | 'PAID' | 'FINISHED' | 'CANCELLED';

export interface EventPayloads {
  'order.created': {
    orderId: string;
    customerId: string;
    items: PricedLine[];
    subtotal: number;
    discount: number;
    storeCreditApplied: number;
    amountDue: number;
    currency: string;
    couponCode: string | null;
    placedAt: string;
    email: string | null;
    shippingAddress: Address | null;
    billingAddress: Address | null;
    shippingMethod: { code: string; name: string } | null;
    shipping: number;
    tax: number;
    /** Prices included tax: `tax` is part of the item prices, not added on top. */
    taxIncluded: boolean;
    /** False when account was not asked to hold anything (no coupon, no store credit); absent in older events. */
    benefitsHeld?: boolean;
  };
  'order.status_changed': {
    orderId: string;
    customerId: string;
    status: OrderStatus;
    previousStatus: OrderStatus | null;
    reason: string | null;
    at: string;
    /** The payment link the order knew as of this transition; absent in older events. */
    payment?: PaymentLink | null;
  };
  'order.paid': { orderId: string; customerId: string; amountDue: number; currency: string; shippingAddress: Address | null };
  'order.cancelled': { orderId: string; customerId: string; reason: string };
  'payment.checkout_created': { orderId: string; paymentId: string; sessionId: string; checkoutUrl: string };
  'payment.succeeded': { orderId: string; paymentId: string; amount: number; currency: string; paidAt: string };
  'payment.expired': { orderId: string; paymentId: string; reason: string };
  'payment.failed': { orderId: string; paymentId: string; reason: string };
  'payment.refunded': { orderId: string; paymentId: string; refundId: string; amount: number };
  /** A delayed method (bank debit) completed checkout; the money arrives (or not) within days. */
  'payment.processing': { orderId: string; paymentId: string };
  'payment.refund_failed': { orderId: string; paymentId: string; refundId: string | null; reason: string };
  'fulfilment.shipped': { orderId: string; shippedAt: string };
  'inventory.hold_lost': { orderId: string; productIds: string[]; reason: string };
  'account.hold_lost': { orderId: string; reason: string };
  /** A product as carts price it; aggregateId is the product, sequence its version. */
  'product.changed': { productId: string; name: string; price: number; currency: string; requiresShipping: boolean };
  /** A coupon's terms as carts show them; account still decides at checkout (limits, per-customer use). */
  'coupon.changed': {
    code: string;
    percentOff: number | null;
    amountOff: number | null;
    currency: string;
    customerId: string | null;
    expiresAt: string | null;
  };
  /**
   * An admin mutation, written in the same transaction as its change (adminAction in audit.ts);
   * account keeps the audit log. aggregateId is a fresh id: each action is its own.
   */
  'admin.action': { actorId: string; action: string; target: string | null; summary: string | null; at: string };
  /** A customer's store credit balance after a change; aggregateId is the customer, sequence the balance's version. */
  'customer.credit_changed': { customerId: string; storeCredit: number; currency: string };
}

export type EventType = keyof EventPayloads;

export const EVENT_TYPES = [
  'order.created',
  'order.status_changed',
  'order.paid',
  'order.cancelled',
  'payment.checkout_created',
  'payment.succeeded',
  'payment.expired',
  'payment.failed',
  'payment.refunded',
  'payment.processing',
  'payment.refund_failed',
  'fulfilment.shipped',
  'inventory.hold_lost',
  'account.hold_lost',
  'product.changed',
  'coupon.changed',
  'customer.credit_changed',
  'admin.action',
] as const satisfies readonly EventType[];

/**
 * The subgraphs that consume each event type (the gateway's live-status fan-out aside). Brokers
 * declare these queues whenever they connect, so an event published before its consumer first
 * started (the demo seeds on a first start, a fresh deployment) waits in its queue instead of
 * being dropped. tests/repo/event-consumers.test.ts checks it against every subgraph's consumers.
 */
export const EVENT_CONSUMERS: Record<EventType, readonly string[]> = {
  'order.created': ['account', 'inventory', 'payment'],
  // Live status subscribers take it from the exchange (Broker.fanout); no subgraph consumes it.
  'order.status_changed': [],
  'order.paid': ['account', 'inventory'],
  'order.cancelled': ['account', 'inventory', 'payment'],
  'payment.checkout_created': ['order'],
  'payment.succeeded': ['order'],
  'payment.expired': ['order'],
  'payment.failed': ['order'],
  'payment.refunded': ['order'],
  'payment.processing': ['order'],
  'payment.refund_failed': [],
  'fulfilment.shipped': ['order'],
  'inventory.hold_lost': ['order'],
  'account.hold_lost': ['order'],
  'product.changed': ['order'],
  'coupon.changed': ['order'],
  'customer.credit_changed': ['order'],
  'admin.action': ['account'],
};

export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: string;
  /** What the event is about: an order, or for catalog and account events a product, coupon code or customer. */
  aggregateId: string;
  /** The aggregate's version for events that carry one (an order's status sequence, a product's or a credit balance's version), else 0. */
  sequence: number;
  /** W3C trace context of the transaction that wrote the event, when there was one. */
  traceparent: string | null;
  data: EventPayloads[T];
}

/** An event as a use case asks for it; the outbox fills in id and time. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  aggregateId: string;
  sequence?: number;
  data: EventPayloads[T];
}

export function newEvent<T extends EventType>(type: T, aggregateId: string, data: EventPayloads[T], sequence?: number): NewEvent<T> {
  return { type, aggregateId, data, sequence };
}

export const newEventId = () => randomUUID();

export function isEnvelope(value: unknown): value is EventEnvelope {
  const v = value as Partial<EventEnvelope>;
  return (
    !!v &&
    typeof v.id === 'string' &&
    typeof v.type === 'string' &&
    (EVENT_TYPES as readonly string[]).includes(v.type) &&
    typeof v.aggregateId === 'string' &&
    typeof v.sequence === 'number' &&
    typeof v.data === 'object' &&
    v.data !== null
  );
}
