// The broker port every service talks to; RabbitMQ (amqp.ts) and in-process (in-process.ts) adapters.
import { EVENT_CONSUMERS, type EventEnvelope, type EventType } from '../../contracts/events.js';

export type Handler = (event: EventEnvelope) => Promise<void>;

export interface ConsumerSpec {
  /** The consuming subgraph; the durable queue is `${prefix}.${service}.${eventType}`. */
  service: string;
  eventType: EventType;
  handler: Handler;
}

export interface DeadLetter {
  queue: string;
  error: string;
  attempts: number;
  event: unknown;
}

/** A subscriber of every instance's copy of one event type (live status), not a competing consumer. */
export interface FanoutSpec {
  eventType: EventType;
  handler: Handler;
}

export interface Broker {
  readonly kind: 'amqp' | 'in-process';
  /** Resolves once the broker has durably accepted the event (publisher confirm). */
  publish(events: EventEnvelope[]): Promise<void>;
  /**
   * At-least-once delivery to a durable queue shared by all instances of the service.
   * A handler that throws is retried with growing delay, then dead-lettered after MAX_ATTEMPTS;
   * a message that is not an event envelope is dead-lettered at once, without reaching the handler.
   */
  consume(spec: ConsumerSpec): Promise<void>;
  /** Every instance gets every event of this type (an exclusive queue per caller); no retries. */
  fanout(eventType: EventType, handler: Handler): Promise<void>;
  /** Called after the connection came back and consumers were set up again. */
  onReconnect(listener: () => void): void;
  /** Dead-lettered messages, oldest first, without removing them. */
  peekDeadLetters(): Promise<DeadLetter[]>;
  /** Moves every dead-lettered message back to its queue with a fresh attempt count; returns how many. */
  replayDeadLetters(): Promise<number>;
  isConnected(): boolean;
  close(): Promise<void>;
}

export interface BrokerOptions {
  prefix: string;
  maxAttempts: number;
  /** First retry delay; each later one doubles, capped at 32×. */
  retryBaseDelayMs: number;
  prefetch?: number;
  /** Metrics hooks: a delivery failed and will be retried; a message was dead-lettered. */
  onRetry?: (queue: string) => void;
  onDeadLetter?: (queue: string) => void;
}

export const queueName = (prefix: string, service: string, eventType: string) => `${prefix}.${service}.${eventType}`;
/** Every subgraph's queue with the event type bound to it (EVENT_CONSUMERS), declared by brokers on connect. */
export const declaredQueues = (prefix: string) =>
  (Object.entries(EVENT_CONSUMERS) as [EventType, readonly string[]][]).flatMap(([eventType, services]) =>
    services.map((service) => ({ service, eventType, queue: queueName(prefix, service, eventType) })),
  );
export const retryDelay = (base: number, attempt: number) => base * 2 ** Math.min(attempt - 1, 5);
/** The queue holding a queue's retries of one delay (the AMQP adapter declares it; cleanups delete it by this name). */
export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}`;
/** The topic exchange every event is published to. */
export const exchangeName = (prefix: string) => `${prefix}.events`;
/** Where events go after MAX_ATTEMPTS, with the error in their headers. */
export const deadLetterQueueName = (prefix: string) => `${prefix}.dead-letter`;
