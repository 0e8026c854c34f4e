// Exactly-once effect on top of at-least-once delivery: whatever brings an event twice — a
// producer publishing it again, or RabbitMQ redelivering it after a consumer died before its
// ack — the inbox lets its effect happen once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openBroker } from '../index.js';
import { consumeOnce } from '../inbox.js';
import { createLogger } from '../../observability/logger.js';
import { backboneScope, paidEnvelope, sleep, waitForEffect } from '../../../testkit/broker.js';
import { onRabbitMq } from '../../../testkit/config.js';

test('the same event published twice produces its effect once', { timeout: 60_000 }, async (t) => {
  const scope = backboneScope(t);
  const svc = await scope.open();
  await consumeOnce(svc.inbox, 'order.paid', (tx, e) => svc.applyEffect(tx.em, e));

  const event = paidEnvelope();
  await svc.broker.publish([event]);
  await svc.broker.publish([event]);
  const other = paidEnvelope();
  await svc.broker.publish([other]);

  await waitForEffect(() => svc.deliveries.of(event.id) >= 2 && svc.deliveries.of(other.id) >= 1, 'both copies and the other event handled');
  await sleep(100); // room for a (wrong) third delivery or a late effect
  assert.equal(svc.deliveries.of(event.id), 2, 'both copies reached the consumer');
  assert.equal(svc.deliveries.failed.size, 0, 'a duplicate is not a failure');
  assert.equal(await svc.effectsOf(event.id), 1);
  assert.equal(await svc.effectsOf(other.id), 1);
  assert.deepEqual(await svc.broker.peekDeadLetters(), []);
});

test(
  "RabbitMQ: an event redelivered after the consumer's connection is killed before its ack produces its effect once",
  { timeout: 60_000, skip: !onRabbitMq && 'needs RabbitMQ' },
  async (t) => {
    const scope = backboneScope(t);
    const { proxy, amqpUrl } = await scope.proxyToRabbitMq();
    // The consumer talks to RabbitMQ through the proxy; the producer directly.
    const svc = await scope.open({ brokerConfig: { ...scope.config, AMQP_URL: amqpUrl } });
    const producer = await openBroker(scope.config, createLogger('producer', scope.config.LOG_LEVEL));
    scope.defer(() => producer.close());

    let kills = 0;
    await consumeOnce(
      {
        ...svc.inbox,
        // Runs after the effect committed and before the handler returns (and the broker acks):
        // the one moment where a dying connection makes RabbitMQ redeliver an applied event.
        afterCommit: () => {
          if (kills++ > 0) return;
          proxy.cut();
          setTimeout(() => proxy.restore(), 300);
        },
      },
      'order.paid',
      (tx, e) => svc.applyEffect(tx.em, e),
    );

    const event = paidEnvelope();
    await producer.publish([event]);
    await waitForEffect(() => svc.deliveries.of(event.id) >= 2, 'the redelivery after the cut', 30_000);
    assert.equal(kills, 1, 'the effect committed once, so afterCommit ran once');
    assert.equal(await svc.effectsOf(event.id), 1);

    // The redelivered copy was acked this time: nothing comes back after another reconnect.
    proxy.cut();
    await waitForEffect(() => !svc.broker.isConnected(), 'the consumer noticed the cut', 30_000);
    proxy.restore();
    await waitForEffect(() => svc.broker.isConnected(), 'the consumer reconnected', 30_000);
    await sleep(300);
    assert.equal(svc.deliveries.of(event.id), 2);
    assert.equal(await svc.effectsOf(event.id), 1);
  },
);
