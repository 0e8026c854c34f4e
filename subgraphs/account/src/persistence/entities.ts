import { EntitySchema } from 'typeorm';
import { col } from '../../../../lib/platform/db/columns.js';
import { InboxEntity, OutboxEntity } from '../../../../lib/platform/messaging/outbox-tables.js';
import type { HoldRow } from '../../../../lib/platform/holds/index.js';

export interface CustomerRow {
  id: string;
  email: string;
  name: string;
  role: 'CUSTOMER' | 'ADMIN';
  passwordHash: string;
  storeCredit: number;
  /** The store credit balance's version: one UPDATE moves it with every change of storeCredit. */
  creditVersion: number;
  loyaltyPoints: number;
  createdAt: Date;
}

export interface CouponRow {
  code: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string;
  customerId: string | null;
  expiresAt: Date | null;
  maxRedemptions: number | null;
  /** How often one customer may use it; counted over that customer's live benefit holds. */
  maxRedemptionsPerCustomer: number | null;
  /** Listed in every customer's `coupons`; other open coupons work only when their code is typed. */
  public: boolean;
  redemptions: number;
  createdAt: Date;
}

/** The coupon and credit one order holds; its status follows lib/platform/holds/lifecycle.ts. */
export interface BenefitHoldRow extends HoldRow {
  customerId: string;
  couponCode: string | null;
  discount: number;
  credit: number;
}

export const CustomerEntity = new EntitySchema<CustomerRow>({
  name: 'Customer',
  tableName: 'customers',
  columns: {
    id: col.id,
    email: { ...col.text(254), unique: true },
    name: col.text(200),
    role: col.text(16),
    passwordHash: { ...col.text(200), name: 'password_hash' },
    storeCredit: { ...col.int(), name: 'store_credit' },
    creditVersion: { ...col.int(), name: 'credit_version' },
    loyaltyPoints: { ...col.int(), name: 'loyalty_points' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

export const CouponEntity = new EntitySchema<CouponRow>({
  name: 'Coupon',
  tableName: 'coupons',
  columns: {
    code: { ...col.text(64), primary: true },
    percentOff: { ...col.int(true), name: 'percent_off' },
    amountOff: { ...col.int(true), name: 'amount_off' },
    currency: col.text(3),
    customerId: { ...col.uuid(true), name: 'customer_id' },
    expiresAt: { ...col.time(true), name: 'expires_at' },
    maxRedemptions: { ...col.int(true), name: 'max_redemptions' },
    maxRedemptionsPerCustomer: { ...col.int(true), name: 'max_redemptions_per_customer' },
    public: { type: 'boolean', name: 'is_public' },
    redemptions: col.int(),
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

export const BenefitHoldEntity = new EntitySchema<BenefitHoldRow>({
  name: 'BenefitHold',
  tableName: 'benefit_holds',
  columns: {
    orderId: { ...col.id, name: 'order_id' },
    customerId: { ...col.uuid(), name: 'customer_id' },
    couponCode: { ...col.text(64, true), name: 'coupon_code' },
    discount: col.int(),
    credit: col.int(),
    status: col.text(16),
    expiresAt: { ...col.time(), name: 'expires_at' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

/**
 * One sign-in throttling counter: what `key` names (a kind and a hashed email or address) was
 * counted `hits` times since `windowStart`. A window that has passed is overwritten by the next
 * hit and swept after, so the table holds at most the keys of the last window.
 */
export interface SignInCounterRow {
  key: string;
  windowStart: Date;
  hits: number;
}

export const SignInCounterEntity = new EntitySchema<SignInCounterRow>({
  name: 'SignInCounter',
  tableName: 'sign_in_counters',
  columns: {
    key: { ...col.text(80), primary: true, name: 'counter_key' },
    windowStart: { ...col.time(), name: 'window_start' },
    hits: col.int(),
  },
});

/** One admin mutation that committed, from its admin.action event (id: the event's). */
export interface AuditEntryRow {
  id: string;
  actorId: string;
  /** The admin's email when the entry was written (kept, should the account change later). */
  actor: string;
  action: string;
  target: string | null;
  summary: string | null;
  at: Date;
}

export const AuditEntryEntity = new EntitySchema<AuditEntryRow>({
  name: 'AuditEntry',
  tableName: 'audit_log',
  columns: {
    id: col.id,
    actorId: { ...col.uuid(), name: 'actor_id' },
    actor: col.text(254),
    action: col.text(64),
    target: col.text(200, true),
    summary: col.text(500, true),
    at: col.time(),
  },
});

export const entities = [CustomerEntity, CouponEntity, BenefitHoldEntity, SignInCounterEntity, AuditEntryEntity, OutboxEntity, InboxEntity];
