// The embedded broker for the one-process default (no AMQP_URL): the same semantics as the
// RabbitMQ adapter — durable-per-process queues that buffer while no consumer is attached,
// at-least-once delivery, retries with growing delay, a dead-letter list. Written here because
// no maintained library offers an in-memory AMQP-like broker with retries and dead letters.
import type { Logger } from '../logger.js';
import type { EventEnvelope, EventType } from './events.js';
import { queueName, retryDelay, type Broker, type BrokerOptions, type ConsumerSpec, type DeadLetter, type Handler } from './port.js';

interface Message {
  body: string;
  attempt: number;
}

class Queue {
  readonly pending: Message[] = [];
  handler: Handler | null = null;
  inFlight = 0;
  constructor(
    readonly name: string,
    readonly eventType: EventType,
  ) {}
}

/** Queues live per BROKER_PREFIX for the life of the process, like durable queues on a server. */
class Exchange {
  readonly queues = new Map<string, Queue>();
  readonly fanouts: { eventType: EventType; handler: Handler; owner: InProcessBroker }[] = [];
  readonly deadLetters: DeadLetter[] = [];
}
const exchanges = new Map<string, Exchange>();

export class InProcessBroker implements Broker {
  readonly kind = 'in-process';
  private readonly exchange: Exchange;
  private readonly owned = new Set<Queue>();
  private closed = false;

  constructor(
    private readonly options: BrokerOptions,
    private readonly log: Logger,
  ) {
    let ex = exchanges.get(options.prefix);
    if (!ex) exchanges.set(options.prefix, (ex = new Exchange()));
    this.exchange = ex;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('broker closed');
    for (const event of events) {
      const body = JSON.stringify(event);
      for (const queue of this.exchange.queues.values()) {
        if (queue.eventType === event.type) this.enqueue(queue, { body, attempt: 1 });
      }
      for (const f of this.exchange.fanouts) {
        if (f.eventType === event.type) f.handler(JSON.parse(body)).catch((err) => this.log.warn({ err }, 'fan-out handler failed'));
      }
    }
  }

  async consume(spec: ConsumerSpec): Promise<void> {
    const name = queueName(this.options.prefix, spec.service, spec.eventType);
    let queue = this.exchange.queues.get(name);
    if (!queue) this.exchange.queues.set(name, (queue = new Queue(name, spec.eventType)));
    queue.handler = spec.handler;
    this.owned.add(queue);
    this.drain(queue);
  }

  async fanout(eventType: EventType, handler: Handler): Promise<void> {
    this.exchange.fanouts.push({ eventType, handler, owner: this });
  }

  onReconnect(): void {
    // Never disconnects.
  }

  async peekDeadLetters(): Promise<DeadLetter[]> {
    return [...this.exchange.deadLetters];
  }

  async replayDeadLetters(): Promise<number> {
    const letters = this.exchange.deadLetters.splice(0);
    for (const letter of letters) {
      const queue = this.exchange.queues.get(letter.queue);
      if (queue) this.enqueue(queue, { body: JSON.stringify(letter.event), attempt: 1 });
    }
    return letters.length;
  }

  isConnected(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Detach our consumers; their queues keep buffering for the next instance, as on RabbitMQ.
    for (const q of this.owned) q.handler = null;
    const keep = this.exchange.fanouts.filter((f) => f.owner !== this);
    this.exchange.fanouts.splice(0, this.exchange.fanouts.length, ...keep);
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
    while (queue.handler && queue.inFlight < prefetch && queue.pending.length > 0) {
      const message = queue.pending.shift()!;
      queue.inFlight++;
      void this.deliver(queue, queue.handler, message).finally(() => {
        queue.inFlight--;
        this.drain(queue);
      });
    }
  }

  private async deliver(queue: Queue, handler: Handler, message: Message) {
    let event: EventEnvelope;
    try {
      event = JSON.parse(message.body);
      await handler(event);
    } catch (err) {
      if (message.attempt >= this.options.maxAttempts) {
        this.log.error({ err, queue: queue.name, attempts: message.attempt }, 'event dead-lettered');
        this.exchange.deadLetters.push({ queue: queue.name, error: String((err as Error)?.message ?? err), attempts: message.attempt, event: safeParse(message.body) });
        return;
      }
      this.log.warn({ err, queue: queue.name, attempt: message.attempt }, 'event handler failed; retrying');
      // Not cleared on close: the retry lands back in the queue, which outlives this instance.
      setTimeout(
        () => this.enqueue(queue, { body: message.body, attempt: message.attempt + 1 }),
        retryDelay(this.options.retryBaseDelayMs, message.attempt),
      ).unref();
    }
  }
}

function safeParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
