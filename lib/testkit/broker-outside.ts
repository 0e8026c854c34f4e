// What backbone tests do to a broker from outside our adapters: publish raw bodies no producer of
// ours would make, wait for the dead-letter queue, and remove what a test declared on the shared
// RabbitMQ.
import amqp from 'amqplib';
import { InProcessBroker } from '../platform/messaging/in-process.js';
import type { Broker } from '../platform/messaging/index.js';
import { deadLetterQueueName, declaredQueues, exchangeName, queueName, retryDelay, retryQueueName, type DeadLetter } from '../platform/messaging/port.js';
import type { Config } from '../platform/config.js';
import { waitFor } from './graphql.js';

export const TEST_SERVICE = 'bt';

/**
 * Publishes a body as it is — to the events exchange with a routing key, or straight to a queue —
 * bypassing the adapter's envelope. RabbitMQ through amqplib; the in-process broker through its hook.
 */
export async function publishRaw(config: Config, broker: Broker, target: { routingKey: string } | { queue: string }, body: string | Buffer): Promise<void> {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (broker instanceof InProcessBroker) {
    if (!('routingKey' in target)) throw new Error('the in-process broker takes raw messages by routing key only');
    broker.publishRaw(target.routingKey, text);
    return;
  }
  if (!config.AMQP_URL) throw new Error('publishRaw needs AMQP_URL for a RabbitMQ broker');
  const conn = await amqp.connect(config.AMQP_URL);
  try {
    const channel = await conn.createConfirmChannel();
    const content = Buffer.from(text);
    if ('routingKey' in target) channel.publish(exchangeName(config.BROKER_PREFIX), target.routingKey, content, { persistent: true });
    else channel.sendToQueue(target.queue, content, { persistent: true });
    await channel.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** Waits until the dead-letter queue holds at least `count` messages; returns them. */
export function waitForDeadLetters(broker: Broker, count = 1, timeoutMs = 15_000): Promise<DeadLetter[]> {
  return waitFor(
    async () => {
      const letters = await broker.peekDeadLetters();
      return letters.length >= count ? letters : null;
    },
    `${count} dead-lettered message(s)`,
    timeoutMs,
  );
}

/** What a test or a bench run declared on the shared RabbitMQ, to delete afterwards. */
export interface DeclaredTopology {
  amqpUrl: string;
  prefix: string;
  consumers: { service: string; eventType: string }[];
  /** The RETRY_BASE_DELAY values the run used: each names its own retry queues. */
  retryBaseDelaysMs: number[];
}

/** Deletes the consumers' queues with their retry queues, the dead-letter queue and the exchange. */
export async function dropBrokerTopology(t: DeclaredTopology): Promise<void> {
  const conn = await amqp.connect(t.amqpUrl);
  try {
    const channel = await conn.createChannel();
    const delays = [...new Set(t.retryBaseDelaysMs.flatMap((base) => Array.from({ length: 6 }, (_, i) => retryDelay(base, i + 1))))];
    // The queues every broker declares on connect, and whatever else the run consumed.
    for (const { service, eventType } of [...declaredQueues(t.prefix), ...t.consumers]) {
      const queue = queueName(t.prefix, service, eventType);
      for (const name of [queue, ...delays.map((d) => retryQueueName(queue, d))]) await channel.deleteQueue(name);
    }
    await channel.deleteQueue(deadLetterQueueName(t.prefix));
    await channel.deleteExchange(exchangeName(t.prefix));
  } finally {
    await conn.close().catch(() => undefined);
  }
}
