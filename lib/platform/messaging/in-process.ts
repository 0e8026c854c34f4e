// The embedded broker for the one-process default (no AMQP_URL): the same semantics as the
// RabbitMQ adapter — durable-per-process queues that buffer while no consumer is attached,
// competing consumers, at-least-once delivery, retries with growing delay, a dead-letter list.
// Written here because no maintained library offers an in-memory AMQP-like broker with retries
// and dead letters.
import type { Logger } from '../observability/logger.js';
import { isEnvelope, type EventEnvelope, type EventType } from '../../contracts/events.js';
import {
  declaredQueues,
  queueName,
  retryDelay,
  type Broker,
  type BrokerOptions,
  type ConsumerSpec,
  type DeadLetter,
  type FanoutSpec,
  type Handler,
} from './port.js';

interface Message {
  body: string;
  attempt: number;
}

interface Consumer {
  handler: Handler;
  owner: InProcessBroker;
  inFlight: number;
}

class Queue {
  readonly pending: Message[] = [];
  /** Instances of the service consuming this queue; deliveries go round-robin, as on RabbitMQ. */
  readonly consumers: Consumer[] = [];
  private next = 0;
  constructor(
    readonly name: string,
    readonly eventType: EventType,
  ) {}

  /** The next consumer with room under the prefetch limit, if any. */
  pick(prefetch: number): Consumer | null {
    for (let i = 0; i < this.consumers.length; i++) {
      const c = this.consumers[(this.next + i) % this.consumers.length]!;
      if (c.inFlight < prefetch) {
        this.next = (this.next + i + 1) % this.consumers.length;
        return c;
      }
    }
    return null;
  }
}

/** A dead letter with the body as it arrived, so a replay delivers exactly that again. */
interface StoredDeadLetter extends DeadLetter {
  body: string;
}

/** Queues live per BROKER_PREFIX for the life of the process, like durable queues on a server. */
class Exchange {
  readonly queues = new Map<string, Queue>();
  readonly fanouts: (FanoutSpec & { owner: InProcessBroker })[] = [];
  readonly deadLetters: StoredDeadLetter[] = [];
}
const exchanges = new Map<string, Exchange>();

export class InProcessBroker implements Broker {
  readonly kind = 'in-process';
  private readonly exchange: Exchange;
  private closed = false;

  constructor(
    private readonly options: BrokerOptions,
    private readonly log: Logger,
  ) {
    let ex = exchanges.get(options.prefix);
    if (!ex) exchanges.set(options.prefix, (ex = new Exchange()));
    this.exchange = ex;
    // Every consumer's queue from the start, as the AMQP adapter declares them: events published
    // before their consumer attached (the demo seeds) wait there.
    for (const { queue, eventType } of declaredQueues(options.prefix)) {
      if (!ex.queues.has(queue)) ex.queues.set(queue, new Queue(queue, eventType));
    }
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    for (const event of events) this.route(event.type, JSON.stringify(event));
  }

  /**
   * Test hook: routes a body as it is, like a raw publish to the RabbitMQ exchange, so tests can
   * send what no producer of ours would (malformed JSON, a foreign envelope).
   */
  publishRaw(routingKey: string, body: string): void {
    this.route(routingKey, body);
  }

  async consume(spec: ConsumerSpec): Promise<void> {
    if (this.closed) throw new Error('broker closed');
    const name = queueName(this.options.prefix, spec.service, spec.eventType);
    let queue = this.exchange.queues.get(name);
    if (!queue) this.exchange.queues.set(name, (queue = new Queue(name, spec.eventType)));
    queue.consumers.push({ handler: spec.handler, owner: this, inFlight: 0 });
    this.drainSoon(queue);
  }

  async fanout(eventType: EventType, handler: Handler): Promise<void> {
    if (this.closed) throw new Error('broker closed');
    this.exchange.fanouts.push({ eventType, handler, owner: this });
  }

  onReconnect(): void {
    // Never disconnects.
  }

  async peekDeadLetters(): Promise<DeadLetter[]> {
    return this.exchange.deadLetters.map(({ queue, error, attempts, event }) => ({ queue, error, attempts, event }));
  }

  async replayDeadLetters(): Promise<number> {
    const letters = this.exchange.deadLetters.splice(0);
    let count = 0;
    for (const letter of letters) {
      const queue = this.exchange.queues.get(letter.queue);
      // A letter whose queue this process doesn't know stays dead-lettered rather than vanish.
      if (!queue) {
        this.exchange.deadLetters.push(letter);
        continue;
      }
      this.enqueue(queue, { body: letter.body, attempt: 1 });
      count++;
    }
    return count;
  }

  isConnected(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Detach our consumers; their queues keep buffering for the next instance, as on RabbitMQ.
    for (const queue of this.exchange.queues.values()) {
      const keep = queue.consumers.filter((c) => c.owner !== this);
      queue.consumers.splice(0, queue.consumers.length, ...keep);
    }
    const keep = this.exchange.fanouts.filter((f) => f.owner !== this);
    this.exchange.fanouts.splice(0, this.exchange.fanouts.length, ...keep);
  }

  private route(routingKey: string, body: string) {
    if (this.closed) throw new Error('broker closed');
    for (const queue of this.exchange.queues.values()) {
      if (queue.eventType === routingKey) this.enqueue(queue, { body, attempt: 1 });
    }
    for (const f of this.exchange.fanouts) {
      if (f.eventType !== routingKey) continue;
      // Fan-out is fire-and-forget (no retries), like the RabbitMQ adapter's auto-ack queues.
      setImmediate(() => {
        const event = parse(body);
        if (event) f.handler(event).catch((err) => this.log.warn({ err }, 'fan-out handler failed'));
      });
    }
  }

  private enqueue(queue: Queue, message: Message) {
    queue.pending.push(message);
    this.drainSoon(queue);
  }

  private drainSoon(queue: Queue) {
    // Deliver asynchronously so a publisher never runs consumer code on its own stack.
    setImmediate(() => this.drain(queue));
  }

  private drain(queue: Queue) {
    const prefetch = this.options.prefetch ?? 10;
    for (;;) {
      if (queue.pending.length === 0) return;
      const consumer = queue.pick(prefetch);
      if (!consumer) return;
      const message = queue.pending.shift()!;
      consumer.inFlight++;
      void this.deliver(queue, consumer.handler, message).finally(() => {
        consumer.inFlight--;
        this.drain(queue);
      });
    }
  }

  private async deliver(queue: Queue, handler: Handler, message: Message) {
    const event = parse(message.body);
    try {
      if (!event) throw new Error('not a valid event envelope');
      await handler(event);
    } catch (err) {
      const error = String((err as Error)?.message ?? err);
      // A body that is not an event will never become one: dead-letter it at once.
      if (!event || message.attempt >= this.options.maxAttempts) {
        this.log.error({ err, queue: queue.name, attempts: message.attempt, eventId: event?.id }, 'event dead-lettered');
        this.options.onDeadLetter?.(queue.name);
        this.exchange.deadLetters.push({
          queue: queue.name,
          error: error.slice(0, 1000),
          attempts: message.attempt,
          event: safeParse(message.body),
          body: message.body,
        });
        return;
      }
      this.log.warn({ err, queue: queue.name, attempt: message.attempt, eventId: event.id }, 'event handler failed; retrying');
      this.options.onRetry?.(queue.name);
      // Not cleared on close: the retry lands back in the queue, which outlives this instance.
      setTimeout(
        () => this.enqueue(queue, { body: message.body, attempt: message.attempt + 1 }),
        retryDelay(this.options.retryBaseDelayMs, message.attempt),
      ).unref();
    }
  }
}

function parse(body: string): EventEnvelope | null {
  const value = safeParse(body);
  return isEnvelope(value) ? value : null;
}

function safeParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
