// The gateway's subgraph fetcher sends identical query fetches in flight at the same time once,
// and nothing else: not mutations, not fetches for another caller, not a fetch after the last
// one has been answered (it shares, it does not cache).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { subgraphFetcher } from '../src/subgraph-fetch.js';

const received: { body: string; authorization?: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ body, authorization: req.headers.authorization });
    // Slow enough that the calls made together are all in flight at once.
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { n: received.length } })), 50);
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const subgraphs = subgraphFetcher();
test.after(async () => {
  await subgraphs.close();
  server.close();
});

const QUERY = JSON.stringify({ query: '{products(first:20){nodes{id name}}}', variables: {} });
const ENTITIES = JSON.stringify({ query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{name}}}', variables: {} });
const MUTATION = JSON.stringify({ query: 'mutation{placeOrder{id}}', variables: {} });
const post = (body: string, headers: Record<string, string> = {}) =>
  subgraphs.fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

async function sent(calls: () => Promise<unknown>[]): Promise<number> {
  received.length = 0;
  await Promise.all(calls());
  return received.length;
}

test('identical queries in flight together are sent once; each caller gets its own parsed result', async () => {
  // Different trace context on each: still the same fetch.
  const calls = Array.from({ length: 10 }, (_, i) => post(QUERY, { authorization: 'Bearer a', traceparent: `00-${'1'.repeat(31)}${i}-${'2'.repeat(16)}-01` }));
  received.length = 0;
  const responses = await Promise.all(calls);
  assert.equal(received.length, 1);
  assert.equal(received[0]!.authorization, 'Bearer a');
  const results = await Promise.all(responses.map((r) => r.json()));
  assert.deepEqual(results[0], { data: { n: 1 } });
  assert.deepEqual(results[9], results[0]);
  // The gateway merges later fetches into what it received: no two callers may share objects.
  assert.notEqual(results[9], results[0]);
  assert.equal(await sent(() => [post(ENTITIES), post(ENTITIES), post(ENTITIES)]), 1);
  // Only sign-in (a mutation) reads the client's address: a query is shared between clients.
  assert.equal(await sent(() => [post(QUERY, { 'x-forwarded-for': '10.0.0.1' }), post(QUERY, { 'x-forwarded-for': '10.0.0.2' })]), 1);
});

test('fetches for different callers, different queries and mutations are each sent', async () => {
  assert.equal(await sent(() => [post(QUERY, { authorization: 'Bearer a' }), post(QUERY, { authorization: 'Bearer b' }), post(QUERY)]), 3);
  assert.equal(await sent(() => [post(QUERY), post(ENTITIES)]), 2);
  assert.equal(await sent(() => [post(MUTATION), post(MUTATION)]), 2);
  assert.equal(await sent(() => [post(MUTATION, { 'x-forwarded-for': '10.0.0.1' }), post(MUTATION, { 'x-forwarded-for': '10.0.0.1' })]), 2);
});

test('a fetch after the shared one was answered is sent again (nothing is cached)', async () => {
  assert.equal(await sent(() => [post(QUERY)]), 1);
  assert.equal(await sent(() => [post(QUERY)]), 1);
});
