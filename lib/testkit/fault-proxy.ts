// A TCP proxy between a service and its server (RabbitMQ, MariaDB) for outage tests: cut every
// connection and refuse new ones, restore, or delay traffic — without touching the shared server.
// Listens on 127.0.0.1 only.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** `127.0.0.1:<port>`, ready to put in a URL. */
  hostPort: string;
  /** The given URL with its host and port replaced by the proxy's. */
  via(url: string): string;
  /** Destroys every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  /** Holds every chunk this long in both directions (0 to stop delaying). */
  delay(ms: number): void;
  /** Open proxied connections right now. */
  readonly connections: number;
  stop(): Promise<void>;
}

export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  let delayMs = 0;

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair = [client, upstream];
    for (const s of pair) {
      open.add(s);
      s.setNoDelay(true);
      // Either side ending or failing ends both, as a broken network path would.
      s.on('error', () => pair.forEach((p) => p.destroy()));
      s.on('close', () => {
        open.delete(s);
        pair.forEach((p) => p.destroy());
      });
    }
    forward(client, upstream, () => delayMs);
    forward(upstream, client, () => delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPort = `127.0.0.1:${port}`;

  return {
    port,
    hostPort,
    via(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut() {
      refusing = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      refusing = false;
    },
    delay(ms: number) {
      delayMs = Math.max(0, ms);
    },
    get connections() {
      return open.size / 2;
    },
    async stop() {
      refusing = true;
      for (const s of open) s.destroy();
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Copies src to dst, holding each chunk for the current delay while keeping their order. */
function forward(src: Socket, dst: Socket, delayOf: () => number) {
  const queue: { due: number; chunk: Buffer }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const now = Date.now();
    while (queue.length && queue[0]!.due <= now) {
      const { chunk } = queue.shift()!;
      if (!dst.destroyed) dst.write(chunk);
    }
    if (queue.length) timer = setTimeout(flush, queue[0]!.due - now);
  };
  src.on('data', (chunk: Buffer) => {
    const delay = delayOf();
    if (!delay && !queue.length) {
      if (!dst.destroyed) dst.write(chunk);
      return;
    }
    // Never earlier than a chunk already waiting: order matters more than the exact delay.
    const due = Math.max(Date.now() + delay, queue.at(-1)?.due ?? 0);
    queue.push({ due, chunk });
    timer ??= setTimeout(flush, Math.max(0, queue[0]!.due - Date.now()));
  });
  src.on('close', () => {
    if (timer) clearTimeout(timer);
    queue.length = 0;
  });
}
