import { EntitySchema } from 'typeorm';
import { InboxEntity, OutboxEntity } from '../../../../lib/platform/messaging/outbox-tables.js';
import { col } from '../../../../lib/platform/db/columns.js';

/** PROCESSING: a delayed method (bank debit) completed the session and the money is on its way. REFUND_PENDING until Stripe says the refund succeeded. */
export type PaymentStatus = 'OPEN' | 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED' | 'REFUND_PENDING' | 'REFUNDED' | 'REFUND_FAILED';

export interface PaymentRow {
  id: string;
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  sessionId: string | null;
  checkoutUrl: string | null;
  paymentIntentId: string | null;
  refundId: string | null;
  paidAt: Date | null;
  /** The idempotency key generations the session and the refund were (or will be) made with. */
  sessionKeyGeneration: number;
  refundKeyGeneration: number;
  /** The sum of the refunds not failed: raised before a refund reaches Stripe, never above amount. */
  refundReserved: number;
  /** The trace of the checkout, continued by the webhook. */
  traceparent: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Every Stripe event received, by id: the dedupe key and the audit log. */
export interface PaymentLogRow {
  eventId: string;
  type: string;
  receivedAt: Date;
  outcome: string;
  detail: string | null;
}

/** Orders known to be cancelled, so a late order.created never opens a session for one. */
export interface OrderCancellationRow {
  orderId: string;
  at: Date;
}

/** The key generation of an order's session before its Payment exists (see migration 002). */
export interface SessionKeyGenerationRow {
  orderId: string;
  generation: number;
}

export const SessionKeyGenerationEntity = new EntitySchema<SessionKeyGenerationRow>({
  name: 'SessionKeyGeneration',
  tableName: 'session_key_generations',
  columns: { orderId: { ...col.id, name: 'order_id' }, generation: col.int() },
});

/** An entity owned by another subgraph, known here by its key only. */
export interface EntityRef {
  id: string;
}

export const PaymentEntity = new EntitySchema<PaymentRow>({
  name: 'Payment',
  tableName: 'payments',
  columns: {
    id: col.id,
    orderId: { ...col.uuid(), unique: true, name: 'order_id' },
    customerId: { ...col.uuid(), name: 'customer_id' },
    amount: col.int(),
    currency: col.text(3),
    status: col.text(16),
    sessionId: { ...col.text(255, true), name: 'session_id' },
    checkoutUrl: { ...col.text(1000, true), name: 'checkout_url' },
    paymentIntentId: { ...col.text(255, true), name: 'payment_intent_id' },
    refundId: { ...col.text(255, true), name: 'refund_id' },
    paidAt: { ...col.time(true), name: 'paid_at' },
    sessionKeyGeneration: { ...col.int(), name: 'session_key_generation' },
    refundKeyGeneration: { ...col.int(), name: 'refund_key_generation' },
    refundReserved: { ...col.int(), name: 'refund_reserved', default: 0 },
    traceparent: col.text(64, true),
    createdAt: { ...col.time(), name: 'created_at' },
    updatedAt: { ...col.time(), name: 'updated_at' },
  },
});

export const PaymentLogEntity = new EntitySchema<PaymentLogRow>({
  name: 'PaymentLog',
  tableName: 'payment_log',
  columns: {
    eventId: { ...col.text(255), primary: true, name: 'event_id' },
    type: col.text(100),
    receivedAt: { ...col.time(), name: 'received_at' },
    outcome: col.text(40),
    detail: col.text(1000, true),
  },
});

export const OrderCancellationEntity = new EntitySchema<OrderCancellationRow>({
  name: 'OrderCancellation',
  tableName: 'order_cancellations',
  columns: { orderId: { ...col.id, name: 'order_id' }, at: col.time() },
});

/** ADMIN: refundOrder; CANCELLATION: the refund of a cancelled order's payment. */
export type RefundKind = 'ADMIN' | 'CANCELLATION';
export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** One refund of a payment, created (reserving its amount) before Stripe is asked. */
export interface RefundRow {
  id: string;
  paymentId: string;
  kind: RefundKind;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  stripeRefundId: string | null;
  /** The idempotency key generation of its create call (domain/idempotency-keys.ts). */
  keyGeneration: number;
  actorId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const RefundEntity = new EntitySchema<RefundRow>({
  name: 'Refund',
  tableName: 'refunds',
  columns: {
    id: col.id,
    paymentId: { ...col.uuid(), name: 'payment_id' },
    kind: col.text(16),
    amount: col.int(),
    currency: col.text(3),
    status: col.text(16),
    reason: col.text(500, true),
    stripeRefundId: { ...col.text(255, true), name: 'stripe_refund_id' },
    keyGeneration: { ...col.int(), name: 'key_generation', default: 0 },
    actorId: { ...col.uuid(true), name: 'actor_id' },
    createdAt: { ...col.time(), name: 'created_at' },
    updatedAt: { ...col.time(), name: 'updated_at' },
  },
});

export const entities = [PaymentEntity, RefundEntity, PaymentLogEntity, OrderCancellationEntity, SessionKeyGenerationEntity, OutboxEntity, InboxEntity];
