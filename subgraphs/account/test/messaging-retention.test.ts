// The retention job as a subgraph runs it: account started on its own, its migrations (the inbox
// index) applied, admin.action events written by transactions, published by the relay and applied
// by account's own consumer; with a tiny retention both tables empty out round after round while
// the audit log keeps every entry, and the purge metric counts what went.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { newEvent } from '../../../lib/contracts/events.js';
import { dropBrokerTopology } from '../../../lib/testkit/broker-outside.js';
import { dropDatabases, onMariaDb, testConfig } from '../../../lib/testkit/config.js';
import { waitFor } from '../../../lib/testkit/graphql.js';
import { account } from '../src/app.js';

const config = testConfig({ SWEEP_INTERVAL: '100ms' });
// loadConfig refuses an INBOX_RETENTION under the redelivery window (see lib/platform/messaging/
// redelivery.ts); the test sets one past it on purpose, to watch the job empty the tables.
const subgraph = await account.start({ ...config, OUTBOX_RETENTION: 1, INBOX_RETENTION: 1 }, { port: 0 });
after(async () => {
  await subgraph.stop();
  await dropDatabases(config);
  if (config.AMQP_URL) {
    const topology = { amqpUrl: config.AMQP_URL, prefix: config.BROKER_PREFIX, consumers: [], retryBaseDelaysMs: [config.RETRY_BASE_DELAY] };
    await dropBrokerTopology(topology).catch(() => undefined);
  }
});
const rt = subgraph.runtime;

const count = async (sql: string, params: unknown[] = []) => Number((await rt.db.manager.query(sql, params))[0].n);
const purgedMetric = async () => {
  const metric = await rt.metrics.messagingRowsPurged.get();
  return Object.fromEntries(metric.values.map((v) => [v.labels.table, v.value]));
};

test('outbox and inbox empty out round after round while admin.action events flow through account', { timeout: 120_000 }, async () => {
  const indexes: { name?: string; Key_name?: string }[] = await rt.db.manager.query(onMariaDb ? 'SHOW INDEX FROM inbox' : 'PRAGMA index_list(inbox)');
  assert.ok(
    indexes.some((i) => (i.name ?? i.Key_name) === 'idx_inbox_processed'),
    'the retention migration ran',
  );

  const actorId = randomUUID();
  const PER_ROUND = 15;
  const ROUNDS = 4;
  const empty = async () => (await count('SELECT COUNT(*) AS n FROM outbox')) === 0 && (await count('SELECT COUNT(*) AS n FROM inbox')) === 0;
  await waitFor(empty, 'what start-up wrote purged'); // the seeding's events, counted before ours
  const before = await purgedMetric();
  for (let round = 1; round <= ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++) {
      const event = newEvent('admin.action', actorId, { actorId, action: 'test', target: `round ${round}`, summary: null, at: new Date().toISOString() });
      await rt.transact((tx) => tx.enqueue(event));
    }
    await waitFor(
      async () => (await count('SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ?', [actorId])) === round * PER_ROUND,
      `round ${round} applied`,
    );
    // The job (every SWEEP_INTERVAL) deletes the round's rows once sent and applied.
    await waitFor(empty, `round ${round}: outbox and inbox purged`);
  }
  const after = await purgedMetric();
  // Every event of ours went through both tables once, and the metric counted each row.
  assert.deepEqual(
    { outbox: after.outbox! - (before.outbox ?? 0), inbox: after.inbox! - (before.inbox ?? 0) },
    { outbox: ROUNDS * PER_ROUND, inbox: ROUNDS * PER_ROUND },
  );
  assert.equal(await count('SELECT COUNT(*) AS n FROM audit_log WHERE actor_id = ?', [actorId]), ROUNDS * PER_ROUND, 'nothing applied twice');
});
