// The dead-letter queue on RabbitMQ: read without removing (every message goes back, in order, when
// the channel closes unacked), and replayed to the queue each message came from with a fresh count.
import type { ChannelModel } from 'amqplib';
import { confirmed, toDeadLetter } from './amqp-messages.js';
import type { DeadLetter } from './port.js';

export async function peekDeadLetters(connection: ChannelModel, deadLetterQueue: string): Promise<DeadLetter[]> {
  const channel = await connection.createChannel();
  const letters: DeadLetter[] = [];
  try {
    for (;;) {
      const msg = await channel.get(deadLetterQueue, { noAck: false });
      if (!msg) break;
      letters.push(toDeadLetter(msg));
    }
  } finally {
    await channel.close(); // unacked messages go back to the queue in order
  }
  return letters;
}

export async function replayDeadLetters(connection: ChannelModel, deadLetterQueue: string): Promise<number> {
  const channel = await connection.createConfirmChannel();
  const asserted = new Set<string>();
  let count = 0;
  try {
    for (;;) {
      const msg = await channel.get(deadLetterQueue, { noAck: false });
      if (!msg) break;
      const queue = String(msg.properties.headers?.['x-original-queue'] ?? '');
      // Without its queue a message would be dropped by the default exchange: leave it (unacked,
      // so it returns to the dead-letter queue when the channel closes).
      if (!queue) continue;
      // Declared as its consumer declares it, so a replay to a queue nobody consumes yet keeps the message.
      if (!asserted.has(queue)) await channel.assertQueue(queue, { durable: true });
      asserted.add(queue);
      const { headers: _headers, expiration: _expiration, ...properties } = msg.properties;
      await confirmed(channel, (cb) => channel.sendToQueue(queue, msg.content, { ...properties, persistent: true, headers: { 'x-attempt': 1 } }, cb));
      channel.ack(msg);
      count++;
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
  return count;
}
