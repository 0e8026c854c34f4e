// The outbox relay: a transaction's events go out right after it commits; a row is marked sent
// only after the broker confirmed it, so a relay that dies in between publishes it again (and the inbox absorbs the copy); several relays over one outbox
// share the rows instead of publishing them twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { consumeOnce } from '../inbox.js';
import { OutboxRelay } from '../outbox-relay.js';
import { backboneScope, paidEvent, sleep, waitForEffect } from '../../../testkit/broker.js';
import { TEST_SERVICE } from '../../../testkit/broker-outside.js';
import { onMariaDb } from '../../../testkit/config.js';

test(
  'a relay killed between the broker confirm and marking the row sent publishes the event again on restart, and the inbox absorbs the duplicate',
  { timeout: 60_000 },
  async (t) => {
    const scope = backboneScope(t);
    const svc = await scope.open({
      relay: {
        afterConfirm: () => {
          // The process dies here: the broker has the event, the row says it was never sent.
          void svc.relay.stop();
          throw new Error('relay killed after the confirm');
        },
      },
    });
    await consumeOnce(svc.inbox, 'order.paid', (tx, e) => svc.applyEffect(tx.em, e));

    const order = randomUUID();
    await svc.commit(paidEvent(order));
    const [id] = await svc.eventIds(order);
    await waitForEffect(async () => (await svc.effectsOf(id!)) === 1, 'the first copy applied');
    await svc.relay.stop();
    assert.equal(await svc.unsent(), 1, 'the row was not marked sent');

    // Restart: a fresh relay over the same outbox finds the row and publishes it again.
    const restarted = new OutboxRelay(svc.db, svc.broker, svc.log);
    assert.equal(await restarted.drain(), 1);
    await waitForEffect(() => svc.deliveries.of(id!) >= 2, 'the second copy handled');
    assert.equal(await svc.unsent(), 0);
    assert.equal(await restarted.drain(), 0, 'nothing left to publish');
    await sleep(100);
    assert.equal(svc.deliveries.of(id!), 2);
    assert.equal(svc.deliveries.failed.size, 0);
    assert.equal(await svc.effectsOf(id!), 1);
  },
);

test('two relay instances over one outbox publish each event once', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  const batchSize = 50;
  const total = 1000;
  let secondPublished = false;
  let overlapped: boolean | null = null;
  const one = await scope.open({
    startRelay: false,
    relay: {
      batchSize,
      // MariaDB: the first relay holds its first batch's rows locked until the second relay has
      // published a batch of its own — possible only if the second skips rows locked by the first
      // (FOR UPDATE SKIP LOCKED) instead of waiting for them or reading them too.
      afterConfirm: async () => {
        if (!onMariaDb || overlapped !== null) return;
        overlapped = await waitForEffect(() => secondPublished, 'the second relay to publish meanwhile', 5_000).then(
          () => true,
          () => false,
        );
      },
    },
  });
  // On MariaDB a second instance with its own connection pool; SQLite has one writer per process,
  // so the second relay shares the database (and its writer mutex), as two relays in one process would.
  const two = await scope.open({
    startRelay: false,
    db: onMariaDb ? undefined : one.db,
    relay: {
      batchSize,
      afterConfirm: () => {
        secondPublished = true;
      },
    },
  });

  const received = new Map<string, number>();
  await one.broker.consume({
    service: TEST_SERVICE,
    eventType: 'order.paid',
    handler: async (e) => {
      received.set(e.id, (received.get(e.id) ?? 0) + 1);
    },
  });

  for (let i = 0; i < total / 50; i++) await one.commit(...Array.from({ length: 50 }, () => paidEvent()));
  const [a, b] = await Promise.all([one.relay.drain(), two.relay.drain()]);

  assert.equal(a + b, total, `each row published by one relay (first ${a}, second ${b})`);
  assert.ok(a > 0 && b > 0, `both relays took part (first ${a}, second ${b})`);
  if (onMariaDb) assert.equal(overlapped, true, 'the second relay published while the first held its rows');
  assert.equal(await one.unsent(), 0);
  await waitForEffect(() => received.size === total, `${total} distinct events received`, 30_000);
  await sleep(200);
  const twice = [...received].filter(([, n]) => n !== 1);
  assert.deepEqual(twice, [], 'no event published twice');
});

test('a committed transaction’s events go out right after the commit, without the poll; a rolled-back one’s never', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  // A poll that would not run during this test: only publishing after the commit can deliver.
  const svc = await scope.open({ relay: { pollIntervalMs: 3_600_000, graceMs: 3_600_000 } });
  await consumeOnce(svc.inbox, 'order.paid', (tx, e) => svc.applyEffect(tx.em, e));
  await sleep(100); // the relay's first pass (everything left from before) is over

  const rolledBack = randomUUID();
  await assert.rejects(
    svc.transact(async (tx) => {
      await tx.enqueue(paidEvent(rolledBack));
      throw new Error('the use case failed after writing its event');
    }),
    /failed after writing/,
  );
  const order = randomUUID();
  await svc.commit(paidEvent(order));
  const [id] = await svc.eventIds(order);
  await waitForEffect(async () => (await svc.effectsOf(id!)) === 1, 'the committed event applied');
  await waitForEffect(async () => (await svc.unsent()) === 0, 'the row marked sent');
  assert.deepEqual(await svc.eventIds(rolledBack), [], 'the rolled-back event was never written');
  assert.equal((await svc.effects()).total, 1, 'nothing but the committed event was delivered');
});
