// A broker outage loses nothing and duplicates no effect: events committed while RabbitMQ is
// unreachable wait in the outbox, and relay and consumers resume by themselves when it returns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consumeOnce } from '../inbox.js';
import { backboneScope, paidEvent, sleep, waitForEffect } from '../../../testkit/broker.js';
import { onRabbitMq } from '../../../testkit/config.js';

test(
  'RabbitMQ: broker cut for 10 s while 1,000 events are committed to the outbox — all are consumed exactly once after it returns',
  { timeout: 60_000, skip: !onRabbitMq && 'needs RabbitMQ' },
  async (t) => {
    const scope = backboneScope(t);
    const { proxy, amqpUrl } = await scope.proxyToRabbitMq();
    // Relay and consumer both reach RabbitMQ through the proxy only.
    const svc = await scope.open({ brokerConfig: { ...scope.config, AMQP_URL: amqpUrl } });
    await consumeOnce(svc.inbox, 'order.paid', (tx, e) => svc.applyEffect(tx.em, e));

    await svc.commit(paidEvent());
    await waitForEffect(async () => (await svc.effects()).total === 1, 'an event through the proxy before the cut');

    proxy.cut();
    const cutAt = Date.now();
    await waitForEffect(() => !svc.broker.isConnected(), 'the broker noticed the cut');
    // 1,000 events in 50 transactions, spread over the outage.
    for (let i = 0; i < 50; i++) {
      await svc.commit(...Array.from({ length: 20 }, () => paidEvent()));
      await sleep(150);
    }
    await sleep(Math.max(0, 10_000 - (Date.now() - cutAt)));
    assert.equal((await svc.effects()).total, 1, 'nothing got through during the cut');
    assert.equal(await svc.unsent(), 1000, 'the events wait in the outbox');
    proxy.restore();

    await waitForEffect(async () => (await svc.effects()).total >= 1001, 'all 1,000 events consumed after the broker returned', 40_000);
    await sleep(500); // room for late duplicates
    assert.deepEqual(await svc.effects(), { total: 1001, distinct: 1001 });
    assert.equal(await svc.unsent(), 0);
    assert.deepEqual(await svc.broker.peekDeadLetters(), []);
  },
);
