import { EntitySchema } from 'typeorm';
import { InboxEntity, OutboxEntity } from '../../../../lib/platform/messaging/outbox-tables.js';
import type { Address } from '../../../../lib/contracts/address.js';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
import { col, json } from '../../../../lib/platform/db/columns.js';
import { CartEntity, CatalogCouponEntity, CatalogProductEntity, CustomerCreditEntity } from './cart-entities.js';
import { webhookEntities } from './webhook-entities.js';

export interface OrderRow {
  id: string;
  /** A guest's order has a stand-in id made from its email (guestIdFor), which no account has. */
  customerId: string;
  guest: boolean;
  status: OrderStatus;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  /** Prices included tax: `tax` is part of the subtotal, not added to amountDue. */
  taxIncluded: boolean;
  storeCreditApplied: number;
  amountDue: number;
  currency: string;
  couponCode: string | null;
  email: string | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  /** The method as chosen at checkout (its name kept, should it be renamed later); null when nothing ships. */
  shippingMethodCode: string | null;
  shippingMethodName: string | null;
  cancellationReason: string | null;
  /** When a delayed payment (bank debit) completed checkout unpaid: the order then waits ASYNC_PAYMENT_WINDOW for it. */
  paymentProcessingAt: Date | null;
  /** The payment link payment.checkout_created announced (null before it): see PaymentLink. */
  paymentId: string | null;
  checkoutSessionId: string | null;
  checkoutUrl: string | null;
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

export interface ShippingMethodRow {
  code: string;
  name: string;
  price: number;
  currency: string;
  /** ISO 3166-1 alpha-2 codes it ships to; empty: everywhere. */
  countries: string[];
  /** Free once the discounted subtotal reaches this; null: never free. */
  freeOver: number | null;
  createdAt: Date;
}

export interface TaxRateRow {
  country: string;
  /** '' for the country's own rate (a key column cannot be null on MariaDB). */
  region: string;
  rate: number;
  appliesToShipping: boolean;
}

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'Order',
  tableName: 'orders',
  columns: {
    id: col.id,
    customerId: { ...col.uuid(), name: 'customer_id' },
    guest: { type: 'boolean', name: 'is_guest' },
    status: col.text(24),
    subtotal: col.int(),
    discount: col.int(),
    shipping: col.int(),
    tax: col.int(),
    taxIncluded: { type: 'boolean', name: 'tax_included' },
    storeCreditApplied: { ...col.int(), name: 'store_credit_applied' },
    amountDue: { ...col.int(), name: 'amount_due' },
    currency: col.text(3),
    couponCode: { ...col.text(64, true), name: 'coupon_code' },
    email: col.text(254, true),
    shippingAddress: { ...col.longText(true), name: 'shipping_address', transformer: json<Address>() },
    billingAddress: { ...col.longText(true), name: 'billing_address', transformer: json<Address>() },
    shippingMethodCode: { ...col.text(64, true), name: 'shipping_method_code' },
    shippingMethodName: { ...col.text(200, true), name: 'shipping_method_name' },
    cancellationReason: { ...col.text(500, true), name: 'cancellation_reason' },
    paymentProcessingAt: { ...col.time(true), name: 'payment_processing_at' },
    paymentId: { ...col.uuid(true), name: 'payment_id' },
    checkoutSessionId: { ...col.text(255, true), name: 'checkout_session_id' },
    checkoutUrl: { ...col.text(1000, true), name: 'checkout_url' },
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

export const ShippingMethodEntity = new EntitySchema<ShippingMethodRow>({
  name: 'ShippingMethod',
  tableName: 'shipping_methods',
  columns: {
    code: { ...col.text(64), primary: true },
    name: col.text(200),
    price: col.int(),
    currency: col.text(3),
    countries: { ...col.longText(), transformer: json<string[]>() },
    freeOver: { ...col.int(true), name: 'free_over' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

export const TaxRateEntity = new EntitySchema<TaxRateRow>({
  name: 'TaxRate',
  tableName: 'tax_rates',
  columns: {
    country: { ...col.text(2), primary: true },
    region: { ...col.text(100), primary: true },
    rate: col.int(),
    appliesToShipping: { type: 'boolean', name: 'applies_to_shipping' },
  },
});

export const entities = [
  OrderEntity,
  OrderItemEntity,
  OrderStatusChangeEntity,
  ShippingMethodEntity,
  TaxRateEntity,
  CartEntity,
  CatalogProductEntity,
  CatalogCouponEntity,
  CustomerCreditEntity,
  ...webhookEntities,
  OutboxEntity,
  InboxEntity,
];

/** A page of the staff order list as the resolvers hand it on; the count is only run when selected. */
export interface OrderPage {
  nodes: OrderRow[];
  count: () => Promise<number>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** An entity owned by another subgraph, known here by its key only. */
export interface EntityRef {
  id: string;
}
