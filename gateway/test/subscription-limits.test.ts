// The subscription endpoint under attack: a message over 64 KB closes its socket (1009) and a
// message just under it is handled in linear time, the gateway answering a normal query right
// after either as fast as before (a ratio to its own median, not a fixed time); subscription
// documents over the query limits are refused with QUERY_TOO_COMPLEX before anything else.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { System } from '../../lib/system/system.js';
import { gql } from '../../lib/testkit/graphql.js';
import { signUp, type Shopper } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';

const sys: System = await testSystem();
const ann: Shopper = await signUp(sys, 'Ann');
const wsUrl = `${sys.gateway.url.replace(/^http/, 'ws')}/graphql`;

const NORMAL = `{ products(first: 5) { nodes { id name price { amount currency } available } } }`;
/** The "within 100 ms" as a ratio: a normal query here takes a few ms to ~10 ms. */
const SLOWDOWN_ALLOWED = 10;

async function timedNormalQuery(): Promise<number> {
  const started = performance.now();
  const res = await gql(sys.gateway.url, NORMAL);
  assert.equal(res.errors, undefined);
  return performance.now() - started;
}

async function medianOfNormalQueries(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) times.push(await timedNormalQuery());
  return times.sort((a, b) => a - b)[7]!;
}

/** A raw graphql-ws socket, acknowledged, for messages no client library would send. */
async function acknowledgedSocket(t: TestContext): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  t.after(() => socket.terminate());
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ann.token}` } }));
  const [ack] = await once(socket, 'message');
  assert.equal(JSON.parse(String(ack)).type, 'connection_ack');
  return socket;
}

const subscribeMessage = (query: string) => JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: {} } });

test('a 200 KB message closes its socket with 1009 and the gateway answers the next query as fast as before', async (t) => {
  const median = await medianOfNormalQueries();
  const socket = await acknowledgedSocket(t);
  const closed = once(socket, 'close');
  socket.send(subscribeMessage(`# ${'x'.repeat(200 * 1024)}\nsubscription { orderStatusChanged(orderId: "1") { id } }`));
  const after = await timedNormalQuery();
  const [code] = await closed;
  assert.equal(code, 1009);
  assert.ok(after <= SLOWDOWN_ALLOWED * median, `a query right after the big message took ${after.toFixed(1)} ms, the median before ${median.toFixed(1)} ms`);
});

test('a message just under 64 KB built to make the helper key quadratic costs the gateway no more than a normal query', async (t) => {
  const median = await medianOfNormalQueries();
  const socket = await acknowledgedSocket(t);
  const answered = once(socket, 'message');
  // The attack, at the largest size still accepted: the helper key with underscores to match.
  const comment = `# _liveStatusHistory${'_'.repeat(62 * 1024)}\n`;
  socket.send(subscribeMessage(`${comment}subscription { orderStatusChanged(orderId: "no-such-order") { id } }`));
  const after = await timedNormalQuery();
  const [reply] = await answered;
  assert.deepEqual(
    JSON.parse(String(reply)).payload.map((e: { extensions: { code: string } }) => e.extensions.code),
    ['NOT_FOUND'],
  );
  assert.ok(after <= SLOWDOWN_ALLOWED * median, `a query right after the message took ${after.toFixed(1)} ms, the median before ${median.toFixed(1)} ms`);
});

function subscriptionErrors(t: TestContext, query: string, token?: string): Promise<{ message: string; extensions: { code: string } }[]> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  t.after(() => client.dispose());
  return new Promise((resolve, reject) =>
    client.subscribe(
      { query },
      {
        next: (value) => reject(new Error(`pushed ${JSON.stringify(value)}`)),
        error: (err) => resolve(err as never),
        complete: () => reject(new Error('completed')),
      },
    ),
  );
}

test('subscriptions over the depth, alias, cost and token limits get QUERY_TOO_COMPLEX, before anything else', async (t) => {
  const cycle = (n: number) => `${'orders { customer { '.repeat(n)}orders { id }${' } }'.repeat(n)}`;
  const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
  const cases: [string, RegExp][] = [
    [`customer { ${cycle(5)} }`, /^depth 14 exceeds MAX_QUERY_DEPTH 12$/],
    // The subscription is forwarded as it is (no rewrite adds aliases any more).
    [aliases, /^31 aliases exceed MAX_ALIASES 30$/],
    [`customer { ${cycle(2)} }`, /^cost \d+ exceeds MAX_QUERY_COST 10000$/],
    ['id '.repeat(2000), /^the document has more than MAX_QUERY_TOKENS 2000 tokens$/],
  ];
  for (const [selection, message] of cases) {
    const query = `subscription { orderStatusChanged(orderId: "no-such-order") { ${selection} } }`;
    // Without a token too: the limits come before sign-in is checked.
    for (const token of [ann.token, undefined]) {
      const errors = await subscriptionErrors(t, query, token);
      assert.deepEqual(
        errors.map((e) => e.extensions.code),
        ['QUERY_TOO_COMPLEX'],
      );
      assert.match(errors[0]!.message, message);
    }
  }
});
