// A database from before the order subgraph kept payment links: the migration announces every
// payment again (payment.checkout_created to the outbox), on SQLite and on MariaDB; a session never
// offered (its order was cancelled meanwhile) is announced without a URL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { Database, sqlTime } from '../../../lib/platform/db/database.js';
import { createLogger } from '../../../lib/platform/observability/logger.js';
import { dropDatabases, testConfig } from '../../../lib/testkit/config.js';
import { entities } from '../src/persistence/entities.js';
import { migrations } from '../src/persistence/migrations/index.js';

const config = testConfig();
const log = createLogger('payment', config.LOG_LEVEL);
after(() => dropDatabases(config));

/** The migrations payment had before the backfill (up to messaging retention). */
const BEFORE_BACKFILL = 4;

test('the backfill writes payment.checkout_created for every payment, across pages', async () => {
  assert.equal(new migrations[BEFORE_BACKFILL - 1]!().name, 'MessagingRetention1732000001804');
  // More than one page of the migration's SELECT; one session never offered (no checkout URL).
  const payments = Array.from({ length: 203 }, (_, i) => ({
    id: randomUUID(),
    orderId: randomUUID(),
    sessionId: `cs_test_old_${i}`,
    url: i === 5 ? null : `http://127.0.0.1/pay/cs_test_old_${i}`,
  }));
  const now = sqlTime(new Date());
  await Database.using(config, { service: 'payment', entities, migrations: migrations.slice(0, BEFORE_BACKFILL) }, log, async (db) => {
    for (const p of payments) {
      await db.manager.query(
        `INSERT INTO payments (id, order_id, customer_id, amount, currency, status, session_id, checkout_url, created_at, updated_at)
         VALUES (?, ?, ?, 1500, 'USD', 'SUCCEEDED', ?, ?, ?, ?)`,
        [p.id, p.orderId, randomUUID(), p.sessionId, p.url, now, now],
      );
    }
  });

  await Database.using(config, { service: 'payment', entities, migrations }, log, async (db) => {
    const rows: Record<string, any>[] = await db.manager.query('SELECT type, aggregate_id, payload, sent_at FROM outbox ORDER BY position');
    const byOrder = new Map(rows.map((r) => [r.aggregate_id, r]));
    assert.equal(rows.length, payments.length, 'one event per payment');
    for (const p of payments) {
      const row = byOrder.get(p.orderId);
      assert.deepEqual([row?.type, row?.sent_at], ['payment.checkout_created', null]);
      assert.deepEqual(JSON.parse(row!.payload), { orderId: p.orderId, paymentId: p.id, sessionId: p.sessionId, checkoutUrl: p.url ?? '' });
    }
  });
});
