// The RabbitMQ adapter's message handling, apart from its connection life: publisher confirms with
// a timeout, the headers we keep across retries, parsing deliveries, acks that may find the channel
// closed, dead letters as the Broker port describes them, the connection URL's heartbeat, and
// writes coalesced per tick.
import type { Socket } from 'node:net';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { isEnvelope, type EventEnvelope } from '../../contracts/events.js';
import type { DeadLetter } from './port.js';

export const CONFIRM_TIMEOUT_MS = 15_000;

/** Publishes with a confirm callback; resolves on the broker's ack, rejects on nack or channel close. */
export function confirmed(channel: ConfirmChannel, send: (cb: (err: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      send((err) => (err ? reject(err) : resolve()));
    } catch (err) {
      reject(err);
    }
  });
}

/** A confirm that never comes (a half-open connection without heartbeats) must not hold the relay's rows forever. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Headers without RabbitMQ's dead-lettering history, which would grow with every retry. */
export function ownHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'x-death' && !k.startsWith('x-first-death') && !k.startsWith('x-last-death')));
}

export function parse(content: Buffer): EventEnvelope | null {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return isEnvelope(value) ? value : null;
  } catch {
    return null;
  }
}

export function safeAck(channel: Channel, msg: ConsumeMessage) {
  try {
    channel.ack(msg);
  } catch {
    // The channel closed meanwhile; RabbitMQ redelivers and the inbox absorbs the duplicate.
  }
}

export function toDeadLetter(msg: ConsumeMessage | { content: Buffer; properties: ConsumeMessage['properties'] }): DeadLetter {
  const headers = msg.properties.headers ?? {};
  let event: unknown;
  try {
    event = JSON.parse(msg.content.toString('utf8'));
  } catch {
    event = msg.content.toString('utf8');
  }
  return { queue: String(headers['x-original-queue'] ?? ''), error: String(headers['x-error'] ?? ''), attempts: Number(headers['x-attempts'] ?? 0), event };
}

/** A short heartbeat so a cut connection is noticed within seconds, unless the URL sets one. */
export function withHeartbeat(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has('heartbeat')) u.searchParams.set('heartbeat', '5');
  return u.toString();
}

/**
 * Frames written in one tick leave in one socket write. amqplib writes each frame on its own (a
 * committed batch's acks, a transaction's events), and with Nagle off (see setUp) each was a
 * system call and a packet the broker woke up for; corked until the tick ends, they go as one
 * writev. Nothing waits longer than the current tick. The socket is amqplib's connection stream,
 * which it has no option for this on.
 */
export function coalesceWrites(model: ChannelModel): void {
  const socket = (model as unknown as { connection?: { stream?: Socket } }).connection?.stream;
  if (!socket || typeof socket.cork !== 'function') return;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as Socket['write'];
}
