// The gateway's sockets to a subscription's owning subgraph (upstream.ts): one per credential,
// shared by that credential's subscriptions, closed once none is left, and opened afresh after.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { UpstreamSockets } from '../src/subscriptions/upstream.js';

/** A graphql-ws server whose subscription pushes the caller's credential until it is ended. */
async function upstreamServer() {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        me: {
          type: GraphQLString,
          subscribe: async function* (_p: unknown, _a: unknown, ctx: { connectionParams?: { authorization?: string } }) {
            yield { me: ctx.connectionParams?.authorization ?? 'anonymous' };
            await new Promise(() => undefined); // open until the subscriber leaves
          },
        },
      },
    }),
  });
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const opened: string[] = [];
  wss.on('connection', () => opened.push('socket'));
  const server = useServer({ schema, context: (ctx) => ({ connectionParams: ctx.connectionParams }) }, wss);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    opened,
    open: () => wss.clients.size,
    close: async () => {
      await server.dispose();
      await new Promise((r) => http.close(r));
    },
  };
}

async function firstPush(sockets: UpstreamSockets, url: string, authorization: string) {
  const it = sockets.client(url, authorization).iterate<{ me: string }>({ query: 'subscription { me }' });
  const first = await it.next();
  return { me: (first.value as { data: { me: string } }).data.me, end: () => it.return?.() };
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
}

test("a subscriber's subscriptions share one socket per credential; it closes when they end and opens again after", async (t) => {
  const up = await upstreamServer();
  const sockets = new UpstreamSockets();
  t.after(async () => {
    await sockets.close();
    await up.close();
  });

  const a1 = await firstPush(sockets, up.url, 'Bearer a');
  const a2 = await firstPush(sockets, up.url, 'Bearer a');
  const b = await firstPush(sockets, up.url, 'Bearer b');
  assert.deepEqual([a1.me, a2.me, b.me], ['Bearer a', 'Bearer a', 'Bearer b'], 'each subscription runs as its own credential');
  assert.equal(up.opened.length, 2, "a's two subscriptions share a socket; b has its own");

  await Promise.all([a1.end(), a2.end(), b.end()]);
  await until(() => up.open() === 0, 'the sockets close once their subscriptions ended');
  assert.equal(sockets.size(), 0);

  const again = await firstPush(sockets, up.url, 'Bearer a');
  assert.equal(again.me, 'Bearer a');
  assert.equal(up.opened.length, 3, 'a later subscription opens a fresh socket');
  await again.end();
});
