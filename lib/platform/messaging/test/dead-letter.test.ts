// Failures: a handler that keeps failing is retried with growing delay and then dead-lettered
// with its error, without holding up the messages behind it; a replay brings it back. A stale
// outcome is a success (acked, never retried); a body that is not an event is dead-lettered at once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { EventEnvelope } from '../../../contracts/events.js';
import { openBroker } from '../index.js';
import { consumeOnce } from '../inbox.js';
import { queueName } from '../port.js';
import { createLogger } from '../../observability/logger.js';
import { backboneScope, paidEvent, sleep, waitForEffect } from '../../../testkit/broker.js';
import { publishRaw, TEST_SERVICE, waitForDeadLetters } from '../../../testkit/broker-outside.js';

test(
  'a handler that always throws is dead-lettered after MAX_ATTEMPTS with its error, the next message is processed meanwhile, and a replay puts it back',
  { timeout: 60_000 },
  async (t) => {
    const scope = backboneScope(t, { MAX_ATTEMPTS: '3', RETRY_BASE_DELAY: '20ms' });
    const svc = await scope.open();
    const poison = randomUUID();
    const next = randomUUID();
    let healed = false;
    const attempts: { at: number; nextApplied: boolean }[] = [];

    await consumeOnce(
      svc.inbox,
      'order.paid',
      async (tx, e) => {
        if (e.aggregateId === poison && !healed) throw new Error(`boom: order ${e.aggregateId} cannot be paid`);
        return svc.applyEffect(tx.em, e);
      },
      async (e) => {
        if (e.aggregateId !== poison || healed) return;
        // Each attempt waits (outside any transaction) for the message behind it: a queue that
        // blocked behind a failing message would never get there, and the attempt would say so.
        const nextApplied = await waitForEffect(async () => (await svc.effects()).total > 0, 'the next message', 3_000).then(
          () => true,
          () => false,
        );
        attempts.push({ at: Date.now(), nextApplied });
      },
    );

    await svc.commit(paidEvent(poison));
    await svc.commit(paidEvent(next));
    const [poisonId] = await svc.eventIds(poison);
    const [nextId] = await svc.eventIds(next);

    const [letter, ...more] = await waitForDeadLetters(svc.broker, 1);
    assert.equal(more.length, 0);
    assert.equal(letter!.queue, queueName(scope.config.BROKER_PREFIX, TEST_SERVICE, 'order.paid'));
    assert.equal(letter!.attempts, 3);
    assert.match(letter!.error, /boom: order .* cannot be paid/);
    assert.equal((letter!.event as EventEnvelope).id, poisonId);
    assert.equal(await svc.effectsOf(nextId!), 1);
    assert.equal(attempts.length, 3, 'three deliveries, then no more');
    // The first attempt may run before the next message arrives; the retries must find it applied.
    assert.ok(
      attempts.slice(1).every((a) => a.nextApplied),
      `the next message was applied while the failing one was retried: ${JSON.stringify(attempts)}`,
    );
    // Retries wait: 20 ms before the second attempt, 40 ms before the third.
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 15 && attempts[2]!.at - attempts[1]!.at >= 35, `growing delays: ${JSON.stringify(attempts)}`);
    await sleep(200);
    assert.equal(attempts.length, 3, 'a dead-lettered message is not retried');
    assert.equal(svc.deliveries.failed.get(poisonId!), 3);

    healed = true;
    assert.equal(await svc.broker.replayDeadLetters(), 1);
    await waitForEffect(async () => (await svc.effectsOf(poisonId!)) === 1, 'the replayed event applied');
    assert.deepEqual(await svc.broker.peekDeadLetters(), []);
    assert.equal(await svc.effectsOf(nextId!), 1);
  },
);

test('a stale outcome is acked and not retried', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  const svc = await scope.open();
  let calls = 0;
  await consumeOnce(svc.inbox, 'order.paid', async () => {
    calls++;
    return 'stale';
  });

  const order = randomUUID();
  await svc.commit(paidEvent(order));
  const [id] = await svc.eventIds(order);
  await waitForEffect(() => svc.deliveries.of(id!) >= 1, 'the stale event handled');
  await sleep(300); // well past the retry delays (20 ms, 40 ms)
  assert.equal(calls, 1);
  assert.equal(svc.deliveries.failed.size, 0);
  assert.deepEqual(await svc.broker.peekDeadLetters(), []);
  assert.equal((await svc.effects()).total, 0);

  // Acked, not merely unanswered: closing the consumer (which requeues whatever is unacked on
  // RabbitMQ) and consuming the queue again delivers nothing.
  await svc.broker.close();
  const again = await openBroker(scope.config, createLogger('again', scope.config.LOG_LEVEL));
  scope.defer(() => again.close());
  let redelivered = 0;
  await again.consume({
    service: TEST_SERVICE,
    eventType: 'order.paid',
    handler: async () => {
      redelivered++;
    },
  });
  await sleep(300);
  assert.equal(redelivered, 0);
});

test('an unparseable message goes to the dead-letter queue at once, without reaching the handler', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  const svc = await scope.open();
  const handled: string[] = [];
  await consumeOnce(svc.inbox, 'order.paid', async (tx, e) => {
    handled.push(e.aggregateId);
    return svc.applyEffect(tx.em, e);
  });

  await publishRaw(scope.config, svc.broker, { routingKey: 'order.paid' }, 'not json {');
  await publishRaw(scope.config, svc.broker, { routingKey: 'order.paid' }, JSON.stringify({ hello: 'not an event envelope' }));
  const order = randomUUID();
  await svc.commit(paidEvent(order));

  const letters = await waitForDeadLetters(svc.broker, 2);
  await waitForEffect(() => handled.includes(order), 'the valid event behind them applied');
  await sleep(200);
  assert.equal((await svc.broker.peekDeadLetters()).length, 2);
  const queue = queueName(scope.config.BROKER_PREFIX, TEST_SERVICE, 'order.paid');
  for (const letter of letters) {
    assert.equal(letter.queue, queue);
    assert.equal(letter.attempts, 1, 'not retried: a body never becomes an event');
    assert.match(letter.error, /not a valid event envelope/);
  }
  // Handled concurrently, so in either order.
  assert.deepEqual(
    letters.map((l) => JSON.stringify(l.event)).sort(),
    [JSON.stringify('not json {'), JSON.stringify({ hello: 'not an event envelope' })].sort(),
  );
  assert.deepEqual(handled, [order]);
});
