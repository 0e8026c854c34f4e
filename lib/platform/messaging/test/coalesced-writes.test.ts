// coalesceWrites: frames amqplib writes in one tick leave the socket in one writev, and all of
// them arrive without waiting for anything but the end of the tick.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import type { ChannelModel } from 'amqplib';
import { coalesceWrites } from '../amqp-messages.js';

test("one tick's frames leave in one socket write, and arrive", async (t) => {
  const received: Buffer[] = [];
  const server = createServer((peer) => peer.on('data', (d: Buffer) => received.push(d)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  t.after(() => (socket.destroy(), server.close()));
  await once(socket, 'connect');
  socket.setNoDelay(true);

  const calls: number[] = []; // chunks per system-level write
  const internal = socket as Socket & { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: () => void) => void };
  const [single, vector] = [internal._write.bind(socket), internal._writev.bind(socket)];
  internal._write = (...a: unknown[]) => (calls.push(1), single(...a));
  internal._writev = (chunks, cb) => (calls.push(chunks.length), vector(chunks, cb));

  coalesceWrites({ connection: { stream: socket } } as unknown as ChannelModel);
  for (const frame of ['ack-1;', 'ack-2;', 'ack-3;']) socket.write(frame);
  await new Promise((resolve) => setImmediate(resolve));
  socket.write('next-tick;');

  for (let i = 0; i < 200 && Buffer.concat(received).length < 'ack-1;ack-2;ack-3;next-tick;'.length; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(Buffer.concat(received).toString(), 'ack-1;ack-2;ack-3;next-tick;');
  assert.deepEqual(calls, [3, 1], 'three frames in one writev, then the next tick’s alone');
});
