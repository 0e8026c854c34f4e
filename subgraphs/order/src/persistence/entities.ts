import { EntitySchema } from 'typeorm';
import { InboxEntity, OutboxEntity } from '../../../../lib/platform/messaging/outbox-tables.js';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
import { col } from '../../../../lib/platform/db/columns.js';

export interface OrderRow {
  id: string;
  customerId: string;
  status: OrderStatus;
  subtotal: number;
  discount: number;
  storeCreditApplied: number;
  amountDue: number;
  currency: string;
  couponCode: string | null;
  cancellationReason: string | null;
  idempotencyKey: string | null;
  /** A hash of the checkout input (checkoutFingerprint): the same key with other input is a CONFLICT. */
  inputHash: string | null;
  /** The sequence number of the latest status change. */
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderItemRow {
  orderId: string;
  productId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  currency: string;
}

export interface OrderStatusChangeRow {
  orderId: string;
  sequence: number;
  status: OrderStatus;
  reason: string | null;
  at: Date;
}

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'Order',
  tableName: 'orders',
  columns: {
    id: col.id,
    customerId: { ...col.uuid(), name: 'customer_id' },
    status: col.text(24),
    subtotal: col.int(),
    discount: col.int(),
    storeCreditApplied: { ...col.int(), name: 'store_credit_applied' },
    amountDue: { ...col.int(), name: 'amount_due' },
    currency: col.text(3),
    couponCode: { ...col.text(64, true), name: 'coupon_code' },
    cancellationReason: { ...col.text(500, true), name: 'cancellation_reason' },
    idempotencyKey: { ...col.text(200, true), name: 'idempotency_key' },
    inputHash: { ...col.text(64, true), name: 'input_hash' },
    sequence: col.int(),
    createdAt: { ...col.time(), name: 'created_at' },
    updatedAt: { ...col.time(), name: 'updated_at' },
  },
});

export const OrderItemEntity = new EntitySchema<OrderItemRow>({
  name: 'OrderItem',
  tableName: 'order_items',
  columns: {
    orderId: { ...col.uuid(), primary: true, name: 'order_id' },
    productId: { ...col.uuid(), primary: true, name: 'product_id' },
    name: col.text(200),
    quantity: col.int(),
    unitPrice: { ...col.int(), name: 'unit_price' },
    currency: col.text(3),
  },
});

export const OrderStatusChangeEntity = new EntitySchema<OrderStatusChangeRow>({
  name: 'OrderStatusChange',
  tableName: 'order_status_changes',
  columns: {
    orderId: { ...col.uuid(), primary: true, name: 'order_id' },
    sequence: { ...col.int(), primary: true },
    status: col.text(24),
    reason: col.text(500, true),
    at: col.time(),
  },
});

export const entities = [OrderEntity, OrderItemEntity, OrderStatusChangeEntity, OutboxEntity, InboxEntity];

/** An entity owned by another subgraph, known here by its key only. */
export interface EntityRef {
  id: string;
}
