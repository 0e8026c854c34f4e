import type { MigrationInterface, QueryRunner } from 'typeorm';
import { parseSqlTime } from '../../../../../lib/platform/db/database.js';
import { backfillEvents } from '../../../../../lib/platform/messaging/outbox-backfill.js';
import { couponChanged, creditChanged } from '../../messaging/account-events.js';

interface CouponRecord {
  code: string;
  percent_off: number | string | null;
  amount_off: number | string | null;
  currency: string;
  customer_id: string | null;
  expires_at: Date | string | null;
}

interface CreditRecord {
  id: string;
  store_credit: number | string;
  credit_version: number | string;
}

const numberOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * Migrations are built without the service's config, which reads STORE_CURRENCY from this same
 * environment (lib/platform/config.ts, default USD): every balance is in that currency.
 */
const storeCurrencyFromEnv = () => process.env.STORE_CURRENCY?.trim() || 'USD';

/**
 * Carts learn coupons and store credit from events: one coupon.changed for every coupon and one
 * customer.credit_changed for every customer with credit, for what existed before account
 * published them (backfillEvents). A balance announced
 * here first gets a version of its own (1, after 004's default 0), so that it orders after the
 * no-credit carts assume of a customer they have heard nothing of.
 */
export class AccountEventsBackfill1732000000501 implements MigrationInterface {
  name = 'AccountEventsBackfill1732000000501';

  async up(q: QueryRunner): Promise<void> {
    await q.query('UPDATE customers SET credit_version = credit_version + 1 WHERE store_credit <> 0');
    await backfillEvents<CouponRecord>(q, 'SELECT code, percent_off, amount_off, currency, customer_id, expires_at FROM coupons', 'code', (c) =>
      couponChanged({
        code: c.code,
        percentOff: numberOrNull(c.percent_off),
        amountOff: numberOrNull(c.amount_off),
        currency: c.currency,
        customerId: c.customer_id,
        // mysql2 hands back a Date, better-sqlite3 the stored UTC text.
        expiresAt: c.expires_at === null ? null : parseSqlTime(c.expires_at),
      }),
    );
    const storeCurrency = storeCurrencyFromEnv();
    await backfillEvents<CreditRecord>(q, 'SELECT id, store_credit, credit_version FROM customers WHERE store_credit <> 0', 'id', (c) =>
      creditChanged({ id: c.id, storeCredit: Number(c.store_credit), creditVersion: Number(c.credit_version) }, storeCurrency),
    );
  }

  /** The events may have been published already; what consumers keep stays theirs. */
  async down(): Promise<void> {}
}
