// Storage that levels off: the retention purge deletes sent outbox rows and inbox rows past their
// retention, in bounded batches, while events keep flowing; unsent outbox rows stay whatever their
// age; and config refuses an INBOX_RETENTION shorter than a message can be redelivered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { loadConfig } from '../../config.js';
import { Database, sqlTime } from '../../db/database.js';
import { createLogger } from '../../observability/logger.js';
import { consumeOnce } from '../inbox.js';
import { createMessagingTables, InboxEntity, OutboxEntity } from '../outbox-tables.js';
import { inboxRetentionFloorMs, REDELIVERY_MARGIN_MS, retryScheduleMs } from '../redelivery.js';
import { addRetentionIndexes, dropRetentionIndexes, purgeMessaging } from '../retention.js';
import { backboneScope, paidEvent, sleep, waitForEffect, type TestService } from '../../../testkit/broker.js';
import { onMariaDb } from '../../../testkit/config.js';

const rows = async (svc: TestService, table: 'outbox' | 'inbox') => Number((await svc.db.manager.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

test('outbox and inbox level off while events keep flowing and the purge runs alongside', { timeout: 120_000 }, async (t) => {
  const scope = backboneScope(t);
  const svc = await scope.open();
  await consumeOnce(svc.inbox, 'order.paid', (tx, e) => svc.applyEffect(tx.em, e));

  const PER_ROUND = 20;
  const ROUNDS = 6;
  const seen: { outbox: number; inbox: number; purged: { outbox: number; inbox: number } }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await sleep(5); // the clock moves past the previous round's last write
    const roundStart = new Date();
    // This round's events are committed one transaction each while the purge deletes what the
    // earlier rounds left: measured from roundStart, everything older is past a 1 ms retention.
    const [, purged] = await Promise.all([
      (async () => {
        for (let i = 0; i < PER_ROUND; i++) await svc.commit(paidEvent());
      })(),
      purgeMessaging(svc.db, { outboxRetentionMs: 1, inboxRetentionMs: 1, now: roundStart, batchSize: 7, pauseMs: 1 }),
    ]);
    await waitForEffect(
      async () => (await svc.effects()).distinct === round * PER_ROUND && (await svc.unsent()) === 0,
      `round ${round}: every event applied and marked sent`,
      30_000,
    );
    seen.push({ outbox: await rows(svc, 'outbox'), inbox: await rows(svc, 'inbox'), purged });
  }

  // Each round leaves only its own rows: without the purge the tables would hold 20, 40 … 120.
  assert.deepEqual(
    seen.map((s) => [s.outbox, s.inbox]),
    seen.map(() => [PER_ROUND, PER_ROUND]),
  );
  assert.deepEqual(
    seen.map((s) => s.purged),
    seen.map((_, i) => (i === 0 ? { outbox: 0, inbox: 0 } : { outbox: PER_ROUND, inbox: PER_ROUND })),
  );
  // Purging alongside lost nothing and applied nothing twice.
  assert.deepEqual(await svc.effects(), { total: ROUNDS * PER_ROUND, distinct: ROUNDS * PER_ROUND });
  assert.equal(svc.deliveries.failed.size, 0);
});

test('unsent outbox rows are never purged, however old; sent ones go once past retention', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  // No relay timer: drain() alone decides what is sent.
  const svc = await scope.open({ startRelay: false });
  for (let i = 0; i < 10; i++) await svc.commit(paidEvent());
  assert.equal(await svc.relay.drain(), 10);
  for (let i = 0; i < 15; i++) await svc.commit(paidEvent());
  const monthAgo = new Date(Date.now() - 30 * 86_400_000);
  await svc.db.write('UPDATE outbox SET occurred_at = ?', [sqlTime(monthAgo)]);
  assert.equal(await svc.unsent(), 15);

  const later = new Date(Date.now() + 86_400_000);
  const purged = await purgeMessaging(svc.db, { outboxRetentionMs: 1, inboxRetentionMs: 1, now: later, batchSize: 4 });
  assert.equal(purged.outbox, 10, 'the sent rows, in batches of 4');
  assert.equal(await rows(svc, 'outbox'), 15);
  assert.equal(await svc.unsent(), 15, 'every unsent row is still there');

  // Within retention nothing goes, sent or not.
  assert.equal(await svc.relay.drain(), 15);
  assert.deepEqual(await purgeMessaging(svc.db, { outboxRetentionMs: 86_400_000 * 2, inboxRetentionMs: 1, now: later }), { outbox: 0, inbox: 0 });
  assert.equal(await rows(svc, 'outbox'), 15);
  assert.equal((await purgeMessaging(svc.db, { outboxRetentionMs: 1, inboxRetentionMs: 1, now: later })).outbox, 15);
  assert.equal(await rows(svc, 'outbox'), 0);
});

test('one purge run deletes at most maxBatches × batchSize rows per table', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  const svc = await scope.open({ startRelay: false });
  for (let i = 0; i < 30; i++) await svc.commit(paidEvent());
  await svc.relay.drain();
  const later = new Date(Date.now() + 1000);
  const counted: number[] = [];
  const options = { outboxRetentionMs: 1, inboxRetentionMs: 1, now: later, batchSize: 4, maxBatches: 2, onPurged: (_: string, n: number) => counted.push(n) };
  assert.equal((await purgeMessaging(svc.db, options)).outbox, 8);
  assert.deepEqual(counted, [4, 4], 'each DELETE reported, for the metric');
  assert.equal(await rows(svc, 'outbox'), 22);
  // The next runs carry on where it stopped.
  for (let run = 0; run < 3; run++) await purgeMessaging(svc.db, options);
  assert.equal(await rows(svc, 'outbox'), 0);
});

test('the retention migration adds and drops the inbox index on processed_at', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  class Schema1732000001800 implements MigrationInterface {
    name = 'Schema1732000001800';
    async up(q: QueryRunner) {
      await createMessagingTables(q);
      await addRetentionIndexes(q);
    }
    async down(q: QueryRunner) {
      await dropRetentionIndexes(q);
    }
  }
  const db = await Database.open(
    scope.config,
    { service: 'retention', entities: [OutboxEntity, InboxEntity], migrations: [Schema1732000001800] },
    createLogger('retention', 'silent'),
  );
  t.after(() => db.close());
  const indexes = async (source: DataSource) =>
    onMariaDb
      ? ((await source.query('SHOW INDEX FROM inbox')) as { Key_name: string }[]).map((r) => r.Key_name)
      : ((await source.query('PRAGMA index_list(inbox)')) as { name: string }[]).map((r) => r.name);
  assert.ok((await indexes(db.dataSource)).includes('idx_inbox_processed'));
  if (!onMariaDb) {
    // The purge's subquery walks the index instead of scanning the table.
    const plan: { detail: string }[] = await db.manager.query(
      'EXPLAIN QUERY PLAN SELECT rowid FROM inbox WHERE processed_at < ? ORDER BY processed_at LIMIT 10',
      [sqlTime(new Date())],
    );
    assert.match(plan.map((p) => p.detail).join('\n'), /idx_inbox_processed/);
  }
  await db.dataSource.undoLastMigration();
  assert.ok(!(await indexes(db.dataSource)).includes('idx_inbox_processed'));
});

test('config refuses an INBOX_RETENTION shorter than a message can be redelivered, and a zero OUTBOX_RETENTION', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.INBOX_RETENTION, 7 * 86_400_000);
  assert.equal(defaults.OUTBOX_RETENTION, 7 * 86_400_000);
  // MAX_ATTEMPTS=5, RETRY_BASE_DELAY=500ms: retries after 500 ms, 1 s, 2 s and 4 s.
  assert.equal(retryScheduleMs(5, 500), 7500);
  assert.equal(inboxRetentionFloorMs(5, 500), 7500 + REDELIVERY_MARGIN_MS);
  assert.throws(() => loadConfig({ INBOX_RETENTION: '60m' }), /Invalid setting INBOX_RETENTION: must be at least 61m/);
  assert.equal(loadConfig({ INBOX_RETENTION: '61m' }).INBOX_RETENTION, 61 * 60_000);
  // Delays double up to 32× the base: 1+2+4+8+16 + 32×14 hours of retries with 20 attempts an hour apart.
  assert.equal(retryScheduleMs(20, 3_600_000), (31 + 32 * 14) * 3_600_000);
  assert.throws(() => loadConfig({ MAX_ATTEMPTS: '20', RETRY_BASE_DELAY: '1h' }), /INBOX_RETENTION: must be at least 20d/);
  assert.equal(loadConfig({ MAX_ATTEMPTS: '20', RETRY_BASE_DELAY: '1h', INBOX_RETENTION: '21d' }).INBOX_RETENTION, 21 * 86_400_000);
  assert.throws(() => loadConfig({ OUTBOX_RETENTION: '0' }), /Invalid setting OUTBOX_RETENTION: must be longer than 0/);
  assert.throws(() => loadConfig({ INBOX_RETENTION: 'a week' }), /Invalid setting INBOX_RETENTION: expected a duration/);
});
