// A database from before account published coupon.changed and customer.credit_changed: the
// migrations give every balance a version and write one event per coupon and per customer with
// credit to the outbox, on SQLite and on MariaDB.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { v5 as uuidv5 } from 'uuid';
import { Database, sqlTime } from '../../../lib/platform/db/database.js';
import { createLogger } from '../../../lib/platform/observability/logger.js';
import { dropDatabases, testConfig } from '../../../lib/testkit/config.js';
import { COUPON_AGGREGATE_NAMESPACE } from '../src/messaging/account-events.js';
import { entities } from '../src/persistence/entities.js';
import { migrations } from '../src/persistence/migrations/index.js';

const config = testConfig();
const log = createLogger('account', config.LOG_LEVEL);
after(() => dropDatabases(config));

/** The migrations account had before it published these events (up to the settled holds). */
const BEFORE_EVENTS = 3;

test('the backfill writes coupon.changed for every coupon and credit_changed for every customer with credit', async () => {
  assert.equal(new migrations[BEFORE_EVENTS - 1]!().name, 'SettledBenefitHolds1732000000301');
  const rich = randomUUID();
  const poor = randomUUID();
  const expiresAt = new Date(Date.now() + 3_600_000);
  const now = sqlTime(new Date());
  await Database.using(config, { service: 'account', entities, migrations: migrations.slice(0, BEFORE_EVENTS) }, log, async (db) => {
    const customer = `INSERT INTO customers (id, email, name, role, password_hash, store_credit, loyalty_points, created_at) VALUES (?, ?, 'Old', 'CUSTOMER', 'x', ?, 0, ?)`;
    await db.manager.query(customer, [rich, `${rich}@example.com`, 700, now]);
    await db.manager.query(customer, [poor, `${poor}@example.com`, 0, now]);
    const coupon = `INSERT INTO coupons (code, percent_off, amount_off, currency, customer_id, expires_at, max_redemptions, redemptions, created_at, is_public)
      VALUES (?, ?, ?, 'USD', ?, ?, NULL, 0, ?, ?)`;
    await db.manager.query(coupon, ['OLDTEN', 10, null, null, sqlTime(expiresAt), now, 1]);
    await db.manager.query(coupon, ['OLDRICH', null, 300, rich, null, now, 0]);
  });

  await Database.using(config, { service: 'account', entities, migrations }, log, async (db) => {
    const rows: Record<string, any>[] = await db.manager.query(
      'SELECT type, aggregate_id, sequence, payload, traceparent, sent_at FROM outbox ORDER BY position',
    );
    const events = rows.map((r) => ({ type: r.type, aggregateId: r.aggregate_id, sequence: Number(r.sequence), data: JSON.parse(r.payload) }));
    const couponId = (code: string) => uuidv5(code, COUPON_AGGREGATE_NAMESPACE);
    assert.deepEqual(
      events.filter((e) => e.type === 'coupon.changed').sort((a, b) => a.data.code.localeCompare(b.data.code)),
      [
        {
          type: 'coupon.changed',
          aggregateId: couponId('OLDRICH'),
          sequence: 1,
          data: { code: 'OLDRICH', percentOff: null, amountOff: 300, currency: 'USD', customerId: rich, expiresAt: null },
        },
        {
          type: 'coupon.changed',
          aggregateId: couponId('OLDTEN'),
          sequence: 1,
          data: { code: 'OLDTEN', percentOff: 10, amountOff: null, currency: 'USD', customerId: null, expiresAt: expiresAt.toISOString() },
        },
      ],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'customer.credit_changed'),
      [{ type: 'customer.credit_changed', aggregateId: rich, sequence: 1, data: { customerId: rich, storeCredit: 700, currency: 'USD' } }],
      'only the customer with credit, at its new version 1',
    );
    assert.ok(
      rows.every((r) => r.sent_at === null && r.traceparent === null),
      'unsent, for the relay’s poll',
    );
    const versions: Record<string, any>[] = await db.manager.query('SELECT id, credit_version FROM customers ORDER BY store_credit');
    assert.deepEqual(
      versions.map((v) => [v.id, Number(v.credit_version)]),
      [
        [poor, 0],
        [rich, 1],
      ],
    );
  });
});
