// Batches (inbox-batch.ts): events a service receives together are applied in shared
// transactions, each exactly once; an event whose effect throws is rolled back with its batch,
// the others are applied alone, and only it is retried and dead-lettered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntityManager } from 'typeorm';
import { consumeOnce } from '../inbox.js';
import { backboneScope, paidEnvelope, sleep, waitForEffect } from '../../../testkit/broker.js';

test('events received together share transactions; a failing one is dead-lettered alone and every other is applied once', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t, { MAX_ATTEMPTS: '2', RETRY_BASE_DELAY: '20ms' });
  const svc = await scope.open();
  const events = Array.from({ length: 40 }, () => paidEnvelope());
  const poison = events[17]!;
  // Which transaction (its EntityManager) applied each event, counting every attempt.
  const appliedIn = new Map<EntityManager, number>();

  await consumeOnce(svc.inbox, 'order.paid', async (tx, e) => {
    appliedIn.set(tx.em, (appliedIn.get(tx.em) ?? 0) + 1);
    if (e.id === poison.id) throw new Error('boom: this order cannot be paid');
    return svc.applyEffect(tx.em, e);
  });
  // Published together, and one copy twice: the duplicate must not apply a second time either.
  await svc.broker.publish([...events, events[3]!]);

  const others = events.filter((e) => e !== poison);
  await waitForEffect(async () => (await svc.effects()).total === others.length, 'every event but the poison applied', 30_000);
  await waitForEffect(async () => (await svc.broker.peekDeadLetters()).length === 1, 'the poison dead-lettered', 30_000);
  await sleep(100); // room for a (wrong) late effect
  for (const e of others) assert.equal(await svc.effectsOf(e.id), 1, `event ${e.id} applied once`);
  assert.equal(await svc.effectsOf(poison.id), 0, 'the poison rolled back every time');
  const [letter] = await svc.broker.peekDeadLetters();
  assert.match(letter!.error, /boom/);
  assert.ok(Math.max(...appliedIn.values()) > 1, `some transaction applied more than one event (largest: ${Math.max(...appliedIn.values())})`);
});

test('an event whose payload says there is nothing to apply is acked without a transaction or an inbox row', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  const svc = await scope.open();
  const skipped = paidEnvelope();
  const applied = paidEnvelope();
  const seen: string[] = [];
  await consumeOnce(
    svc.inbox,
    'order.paid',
    async (tx, e) => {
      seen.push(e.id);
      return svc.applyEffect(tx.em, e);
    },
    undefined,
    { applies: (e) => e.id !== skipped.id },
  );
  await svc.broker.publish([skipped, applied]);
  await waitForEffect(async () => (await svc.effectsOf(applied.id)) === 1, 'the other event applied');
  await waitForEffect(() => svc.deliveries.of(skipped.id) === 1, 'the skipped event delivered');
  await sleep(100); // room for a (wrong) redelivery
  assert.deepEqual(seen, [applied.id]);
  assert.equal(svc.deliveries.of(skipped.id), 1, 'acked, not redelivered');
  const inbox = await svc.db.manager.query('SELECT event_id FROM inbox');
  assert.deepEqual(
    inbox.map((r: { event_id: string }) => r.event_id),
    [applied.id],
  );
  assert.deepEqual(await svc.broker.peekDeadLetters(), []);
});
