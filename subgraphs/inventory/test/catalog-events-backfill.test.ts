// A database from before inventory published product.changed: the migration writes one event per
// existing product to the outbox, on SQLite and on MariaDB (where booleans come back as 0/1).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { Database, sqlTime } from '../../../lib/platform/db/database.js';
import { createLogger } from '../../../lib/platform/observability/logger.js';
import { dropDatabases, testConfig } from '../../../lib/testkit/config.js';
import { entities } from '../src/persistence/entities.js';
import { migrations } from '../src/persistence/migrations/index.js';

const config = testConfig();
const log = createLogger('inventory', config.LOG_LEVEL);
after(() => dropDatabases(config));

/** The migrations inventory had before it published product.changed (up to shipping). */
const BEFORE_EVENTS = 4;

test('the backfill writes product.changed for every existing product, across pages', async () => {
  assert.equal(new migrations[BEFORE_EVENTS - 1]!().name, 'Shipping1732000000402');
  // More than one page of the migration's SELECT, one of them digital.
  const products = Array.from({ length: 205 }, (_, i) => ({ id: randomUUID(), sku: `OLD-${i}`, name: `Old product ${i}`, price: 100 + i, ships: i !== 7 }));
  const now = sqlTime(new Date());
  await Database.using(config, { service: 'inventory', entities, migrations: migrations.slice(0, BEFORE_EVENTS) }, log, async (db) => {
    for (const p of products) {
      await db.manager.query(
        `INSERT INTO products (id, sku, name, description, price, currency, stock_on_hand, held, created_at, requires_shipping) VALUES (?, ?, ?, NULL, ?, 'USD', 5, 0, ?, ?)`,
        [p.id, p.sku, p.name, p.price, now, p.ships ? 1 : 0],
      );
    }
  });

  await Database.using(config, { service: 'inventory', entities, migrations }, log, async (db) => {
    const rows: Record<string, any>[] = await db.manager.query(
      'SELECT type, aggregate_id, sequence, payload, traceparent, sent_at FROM outbox ORDER BY position',
    );
    const byProduct = new Map(rows.map((r) => [r.aggregate_id, r]));
    assert.equal(rows.length, products.length, 'one event per product');
    for (const p of products) {
      const row = byProduct.get(p.id);
      assert.ok(row, p.sku);
      assert.deepEqual([row.type, Number(row.sequence), row.traceparent, row.sent_at], ['product.changed', 1, null, null]);
      assert.deepEqual(JSON.parse(row.payload), { productId: p.id, name: p.name, price: p.price, currency: 'USD', requiresShipping: p.ships });
    }
  });
});
