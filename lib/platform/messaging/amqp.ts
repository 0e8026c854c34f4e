// RabbitMQ adapter (amqplib). Topology, per BROKER_PREFIX:
//   exchange  <p>.events (topic, durable)            routing key = event type
//   queue     <p>.<service>.<type> (durable)         one per consuming subgraph and event type
//   queue     <p>.<service>.<type>.retry.<ms>        one per delay (queue TTL), dead-letters back to its queue;
//                                                    one queue per delay because RabbitMQ expires messages only
//                                                    at the head, so mixed TTLs in one queue would block short ones
//   queue     <p>.dead-letter (durable)              after MAX_ATTEMPTS, with the error in headers
// Messages are persistent and published on a confirm channel. On connection loss the adapter
// reconnects with backoff and sets up channels, topology and consumers again (amqplib's own
// recovery restores only the connection). A channel that RabbitMQ closed on its own (a protocol
// error) takes the connection down with it, so the same path sets everything up again.
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from '../observability/logger.js';
import type { EventEnvelope, EventType } from '../../contracts/events.js';
import { peekDeadLetters, replayDeadLetters } from './amqp-dead-letters.js';
import { CONFIRM_TIMEOUT_MS, coalesceWrites, confirmed, withTimeout, ownHeaders, parse, safeAck, withHeartbeat } from './amqp-messages.js';
import {
  deadLetterQueueName,
  declaredQueues,
  exchangeName,
  queueName,
  retryDelay,
  retryQueueName,
  type Broker,
  type BrokerOptions,
  type ConsumerSpec,
  type DeadLetter,
  type FanoutSpec,
  type Handler,
} from './port.js';

export class AmqpBroker implements Broker {
  readonly kind = 'amqp';
  private connection: ChannelModel | null = null;
  private publisher: ConfirmChannel | null = null;
  private consumerChannel: Channel | null = null;
  private readonly consumers: ConsumerSpec[] = [];
  private readonly fanouts: FanoutSpec[] = [];
  private readonly reconnectListeners: (() => void)[] = [];
  /** Retry queues declared on the current connection. */
  private readonly retryQueues = new Set<string>();
  private connecting: Promise<void> | null = null;
  /** Ends the reconnect loop's wait early when the broker is closed. */
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly exchange: string;
  private readonly deadLetterQueue: string;

  private constructor(
    private readonly url: string,
    private readonly options: BrokerOptions,
    private readonly log: Logger,
  ) {
    this.exchange = exchangeName(options.prefix);
    this.deadLetterQueue = deadLetterQueueName(options.prefix);
  }

  /** Connects once, failing fast with a clear message when RabbitMQ can't be reached at start-up. */
  static async connect(url: string, options: BrokerOptions, log: Logger): Promise<AmqpBroker> {
    const broker = new AmqpBroker(url, options, log);
    try {
      await broker.setUp();
    } catch (err) {
      await broker.close(); // stops a reconnect loop a connection lost mid-set-up may have started
      const where = new URL(url);
      throw new Error(`Cannot reach RabbitMQ at ${where.hostname}:${where.port || 5672} (${(err as Error).message}). Check AMQP_URL.`);
    }
    return broker;
  }

  isConnected(): boolean {
    return !!this.publisher;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    const channel = this.publisher;
    if (!channel) throw new Error('RabbitMQ is not connected');
    // Each message waits for its own confirm: waitForConfirms() would also wait for (and fail on)
    // whatever the consumers re-route on the same channel meanwhile.
    const confirms = events.map((event) =>
      confirmed(channel, (cb) =>
        channel.publish(
          this.exchange,
          event.type,
          Buffer.from(JSON.stringify(event)),
          { persistent: true, messageId: event.id, type: event.type, contentType: 'application/json', timestamp: Date.now() },
          cb,
        ),
      ),
    );
    await withTimeout(Promise.all(confirms), CONFIRM_TIMEOUT_MS, 'RabbitMQ did not confirm in time');
  }

  async consume(spec: ConsumerSpec): Promise<void> {
    this.consumers.push(spec);
    if (this.consumerChannel) await this.startConsumer(this.consumerChannel, spec);
  }

  async fanout(eventType: EventType, handler: Handler): Promise<void> {
    const f = { eventType, handler };
    this.fanouts.push(f);
    if (this.consumerChannel) await this.startFanout(this.consumerChannel, f);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  peekDeadLetters(): Promise<DeadLetter[]> {
    return peekDeadLetters(this.requireConnection(), this.deadLetterQueue);
  }

  replayDeadLetters(): Promise<number> {
    return replayDeadLetters(this.requireConnection(), this.deadLetterQueue);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const conn = this.connection;
    this.connection = this.publisher = this.consumerChannel = null;
    if (conn) await conn.close().catch(() => undefined);
  }

  private requireConnection(): ChannelModel {
    if (!this.connection) throw new Error('RabbitMQ is not connected');
    return this.connection;
  }

  private async setUp(): Promise<void> {
    // noDelay: amqplib leaves Nagle on, and a publish is several small frames, so each hop waited
    // for the peer's delayed ACK (~40 ms): live push went from ~60 ms to a few ms at light load.
    const conn = await amqp.connect(withHeartbeat(this.url), { noDelay: true, clientProperties: { connection_name: this.options.prefix } });
    coalesceWrites(conn);
    conn.on('error', (err) => this.log.warn({ err: err.message }, 'RabbitMQ connection error'));
    conn.on('close', () => this.lost(conn));
    try {
      const publisher = await conn.createConfirmChannel();
      const consumerChannel = await conn.createChannel();
      await consumerChannel.prefetch(this.options.prefetch ?? 20);
      for (const ch of [publisher, consumerChannel]) {
        ch.on('error', (err) => this.log.warn({ err: err.message }, 'RabbitMQ channel error'));
        // A channel closed by the server while the connection lives would leave us publishing or
        // consuming nothing: drop the connection so the reconnect path rebuilds everything.
        ch.on('close', () => {
          if (this.closed || this.connection !== conn) return;
          Promise.resolve()
            .then(() => conn.close())
            .catch(() => this.lost(conn));
        });
      }
      await publisher.assertExchange(this.exchange, 'topic', { durable: true });
      await publisher.assertQueue(this.deadLetterQueue, { durable: true });
      // Every consumer's queue, whether or not this process consumes it: events published before
      // their consumer first started wait there.
      for (const { queue, eventType } of declaredQueues(this.options.prefix)) {
        await publisher.assertQueue(queue, { durable: true });
        await publisher.bindQueue(queue, this.exchange, eventType);
      }
      this.retryQueues.clear();
      this.connection = conn;
      this.publisher = publisher;
      this.consumerChannel = consumerChannel;
      for (const spec of this.consumers) await this.startConsumer(consumerChannel, spec);
      for (const f of this.fanouts) await this.startFanout(consumerChannel, f);
      // close() may have run while we were connecting; nobody else would ever close this one.
      if (this.closed) throw new Error('broker closed');
    } catch (err) {
      if (this.connection === conn) this.connection = this.publisher = this.consumerChannel = null;
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  /** Only the current connection counts: a late 'close' of an old one must not drop the new one. */
  private lost(conn: ChannelModel) {
    if (this.closed || this.connection !== conn) return;
    this.connection = this.publisher = this.consumerChannel = null;
    this.log.warn('RabbitMQ connection lost; reconnecting');
    this.connecting ??= this.reconnect().finally(() => (this.connecting = null));
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100 * 2 ** attempt, 5000));
        this.wake = () => (clearTimeout(timer), resolve());
      });
      this.wake = null;
      if (this.closed) return;
      try {
        await this.setUp();
        this.log.info({ attempt }, 'RabbitMQ reconnected');
        for (const listener of this.reconnectListeners) listener();
        return;
      } catch (err) {
        this.log.warn({ err: (err as Error).message, attempt }, 'RabbitMQ reconnect failed');
      }
    }
  }

  private async startConsumer(channel: Channel, spec: ConsumerSpec) {
    const queue = queueName(this.options.prefix, spec.service, spec.eventType);
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, this.exchange, spec.eventType);
    await channel.consume(queue, (msg) => {
      if (msg) void this.handle(channel, queue, spec.handler, msg);
      // RabbitMQ cancelled the consumer (its queue was deleted): rebuild, which declares it again.
      else if (channel === this.consumerChannel) void this.connection?.close().catch(() => undefined);
    });
  }

  private async startFanout(channel: Channel, f: FanoutSpec) {
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    await channel.bindQueue(queue, this.exchange, f.eventType);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const event = parse(msg.content);
        if (event) f.handler(event).catch((err) => this.log.warn({ err }, 'fan-out handler failed'));
      },
      { noAck: true },
    );
  }

  /** A queue holding retries of one delay; it dead-letters each message back to its queue on expiry. */
  private async retryQueue(publisher: ConfirmChannel, queue: string, delayMs: number): Promise<string> {
    const name = retryQueueName(queue, delayMs);
    if (!this.retryQueues.has(name)) {
      await publisher.assertQueue(name, {
        durable: true,
        arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
      this.retryQueues.add(name);
    }
    return name;
  }

  /** Runs the handler; on failure re-publishes to the retry or dead-letter queue, then acks. */
  private async handle(channel: Channel, queue: string, handler: Handler, msg: ConsumeMessage) {
    const attempt = Number(msg.properties.headers?.['x-attempt'] ?? 1);
    const event = parse(msg.content);
    let error: string;
    try {
      if (!event) throw new Error('not a valid event envelope');
      await handler(event);
      safeAck(channel, msg);
      return;
    } catch (err) {
      error = (err as Error)?.message ?? String(err);
    }
    const publisher = this.publisher;
    // Connection gone, or replaced while the handler ran: RabbitMQ redelivers the unacked message,
    // so re-routing it too would make two copies.
    if (!publisher || channel !== this.consumerChannel) return;
    const deadLetter = !event || attempt >= this.options.maxAttempts;
    const { headers = {}, expiration: _expiration, ...properties } = msg.properties;
    try {
      if (deadLetter) {
        this.log.error({ queue, attempts: attempt, error, eventId: event?.id }, 'event dead-lettered');
        this.options.onDeadLetter?.(queue);
        await confirmed(publisher, (cb) =>
          publisher.sendToQueue(
            this.deadLetterQueue,
            msg.content,
            { ...properties, persistent: true, headers: { 'x-original-queue': queue, 'x-error': error.slice(0, 1000), 'x-attempts': attempt } },
            cb,
          ),
        );
      } else {
        this.log.warn({ queue, attempt, error, eventId: event.id }, 'event handler failed; retrying');
        this.options.onRetry?.(queue);
        const retry = await this.retryQueue(publisher, queue, retryDelay(this.options.retryBaseDelayMs, attempt));
        await confirmed(publisher, (cb) =>
          publisher.sendToQueue(retry, msg.content, { ...properties, persistent: true, headers: { ...ownHeaders(headers), 'x-attempt': attempt + 1 } }, cb),
        );
      }
      safeAck(channel, msg);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, queue }, 'could not re-route a failed event; it will be redelivered');
    }
  }
}
