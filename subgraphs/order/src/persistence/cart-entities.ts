// Carts, and the read models that price them: products, coupons and store credit as the
// catalog and account events last described them (messaging/consumers.ts keeps them current).
// Carts are priced from these on every read; the try step stays the authority at checkout.
import { EntitySchema } from 'typeorm';
import type { Address } from '../../../../lib/contracts/address.js';
import type { HoldLine } from '../../../../lib/contracts/order-lines.js';
import { col, json } from '../../../../lib/platform/db/columns.js';

export interface CartRow {
  /** Random (UUID v4): for an anonymous cart the id is the only key to it. */
  id: string;
  /** The signed-in customer who created or last changed it; null while anonymous. */
  ownerId: string | null;
  /** Products and quantities, oldest first; prices are looked up on every read. */
  lines: HoldLine[];
  email: string | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  shippingMethodCode: string | null;
  couponCode: string | null;
  useStoreCredit: boolean;
  /** The order the cart became; set in the order's own transaction. */
  orderId: string | null;
  /** Bumped by every change, so a checkout notices a cart changed under it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CatalogProductRow {
  productId: string;
  name: string;
  price: number;
  currency: string;
  requiresShipping: boolean;
  version: number;
}

export interface CatalogCouponRow {
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string;
  /** Issued to one customer only; null: open to everyone. */
  customerId: string | null;
  expiresAt: Date | null;
}

export interface CustomerCreditRow {
  customerId: string;
  storeCredit: number;
  version: number;
}

export const CartEntity = new EntitySchema<CartRow>({
  name: 'Cart',
  tableName: 'carts',
  columns: {
    id: col.id,
    ownerId: { ...col.uuid(true), name: 'owner_id' },
    lines: { ...col.longText(), transformer: json<HoldLine[]>() },
    email: col.text(254, true),
    shippingAddress: { ...col.longText(true), name: 'shipping_address', transformer: json<Address>() },
    billingAddress: { ...col.longText(true), name: 'billing_address', transformer: json<Address>() },
    shippingMethodCode: { ...col.text(64, true), name: 'shipping_method_code' },
    couponCode: { ...col.text(64, true), name: 'coupon_code' },
    useStoreCredit: { type: 'boolean', name: 'use_store_credit' },
    orderId: { ...col.uuid(true), name: 'order_id' },
    version: col.int(),
    createdAt: { ...col.time(), name: 'created_at' },
    updatedAt: { ...col.time(), name: 'updated_at' },
  },
  indices: [{ name: 'idx_carts_updated', columns: ['updatedAt'] }],
});

export const CatalogProductEntity = new EntitySchema<CatalogProductRow>({
  name: 'CatalogProduct',
  tableName: 'catalog_products',
  columns: {
    productId: { ...col.id, name: 'product_id' },
    name: col.text(200),
    price: col.int(),
    currency: col.text(3),
    requiresShipping: { type: 'boolean', name: 'requires_shipping' },
    version: col.int(),
  },
});

export const CatalogCouponEntity = new EntitySchema<CatalogCouponRow>({
  name: 'CatalogCoupon',
  tableName: 'catalog_coupons',
  columns: {
    code: { ...col.text(64), primary: true },
    percentOff: { ...col.int(true), name: 'percent_off' },
    amountOff: { ...col.int(true), name: 'amount_off' },
    currency: col.text(3),
    customerId: { ...col.uuid(true), name: 'customer_id' },
    expiresAt: { ...col.time(true), name: 'expires_at' },
  },
});

export const CustomerCreditEntity = new EntitySchema<CustomerCreditRow>({
  name: 'CustomerCredit',
  tableName: 'customer_credit',
  columns: {
    customerId: { ...col.id, name: 'customer_id' },
    storeCredit: { ...col.int(), name: 'store_credit' },
    version: col.int(),
  },
});
