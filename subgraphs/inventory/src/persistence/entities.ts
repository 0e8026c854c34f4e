import { EntitySchema } from 'typeorm';
import { InboxEntity, OutboxEntity } from '../../../../lib/platform/messaging/outbox-tables.js';
import { col } from '../../../../lib/platform/db/columns.js';
import type { HoldRow } from '../../../../lib/platform/holds/index.js';
import type { Address } from '../../../../lib/contracts/address.js';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  price: number;
  currency: string;
  stockOnHand: number;
  /** Units held for orders not yet paid; available = stockOnHand - held. */
  held: number;
  /** Physical goods: orders with it need a shipping address and method. */
  requiresShipping: boolean;
  createdAt: Date;
}

/** Units of one product held for one order; its status follows lib/platform/holds/lifecycle.ts (SETTLED: sold). */
export interface StockHoldRow extends HoldRow {
  productId: string;
  quantity: number;
}

export interface ShipmentRow {
  orderId: string;
  /** The order's customer, who may read the shipment; null on shipments written before it was kept. */
  customerId: string | null;
  /** order.paid's shippingAddress; null when nothing in the order ships. */
  address: Address | null;
  shipAt: Date;
  shippedAt: Date | null;
  /** Set when an order with an address ships. */
  carrier: string | null;
  trackingNumber: string | null;
  /** The trace of the payment that triggered shipping, continued when the order ships. */
  traceparent: string | null;
}

/** An entity another subgraph owns, as a federated reference names it. */
export interface EntityRef {
  id: string;
}

export const ProductEntity = new EntitySchema<ProductRow>({
  name: 'Product',
  tableName: 'products',
  columns: {
    id: col.id,
    sku: { ...col.text(64), unique: true },
    name: col.text(200),
    description: col.longText(true),
    price: col.int(),
    currency: col.text(3),
    stockOnHand: { ...col.int(), name: 'stock_on_hand' },
    held: col.int(),
    requiresShipping: { type: 'boolean', name: 'requires_shipping' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

export const StockHoldEntity = new EntitySchema<StockHoldRow>({
  name: 'StockHold',
  tableName: 'stock_holds',
  columns: {
    orderId: { ...col.uuid(), primary: true, name: 'order_id' },
    productId: { ...col.uuid(), primary: true, name: 'product_id' },
    quantity: col.int(),
    status: col.text(16),
    expiresAt: { ...col.time(), name: 'expires_at' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

export const ShipmentEntity = new EntitySchema<ShipmentRow>({
  name: 'Shipment',
  tableName: 'shipments',
  columns: {
    orderId: { ...col.id, name: 'order_id' },
    customerId: { ...col.uuid(true), name: 'customer_id' },
    // JSON in a text column: an address is only ever read whole, with its shipment.
    address: { type: 'simple-json', nullable: true },
    shipAt: { ...col.time(), name: 'ship_at' },
    shippedAt: { ...col.time(true), name: 'shipped_at' },
    carrier: col.text(64, true),
    trackingNumber: { ...col.text(64, true), name: 'tracking_number' },
    traceparent: col.text(64, true),
  },
});

/** A page of products as the resolvers hand it on; the count is only run when selected. */
export interface ProductPage {
  nodes: ProductRow[];
  count: () => Promise<number>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const entities = [ProductEntity, StockHoldEntity, ShipmentEntity, OutboxEntity, InboxEntity];
