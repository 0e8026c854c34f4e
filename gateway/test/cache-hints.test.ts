// Cache hints: the catalogue's @cacheControl hints (schema/inventory.graphql) reach the client
// through the gateway, so a persisted-query GET of the product list is cacheable by a CDN, while
// anything personal (me, an order) is not.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../lib/system/system.js';
import { signUp } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';

const sys: System = await testSystem();
const url = `${sys.gateway.url}/graphql`;

/** Registers the query by POST (automatic persisted queries), then GETs it by hash, as a CDN would see it. */
async function persistedGet(query: string, token?: string): Promise<Response> {
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify({ query, extensions }) });
  return fetch(`${url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, { headers: { 'apollo-require-preflight': 'true', ...authorization } });
}

test('a persisted-query GET of the product list answers cache-control public with a max-age', async () => {
  const res = await persistedGet('{ products(first: 5) { totalCount nodes { id name price { amount currency } available } pageInfo { hasNextPage } } }');
  assert.equal(res.status, 200);
  assert.ok((await res.json()).data.products);
  // The smallest hint wins: stock (`available`) for 5 s, the rest of the catalogue for 60 s.
  assert.equal(res.headers.get('cache-control'), 'max-age=5, public');
  const names = await persistedGet('{ products(first: 5) { nodes { id name price { amount } } } }');
  assert.equal(names.headers.get('cache-control'), 'max-age=60, public');
});

test('me and a product list mixed with personal data are not cacheable', async () => {
  const ann = await signUp(sys, 'Ann');
  for (const query of ['{ me { id email } }', '{ me { id } products(first: 1) { nodes { id } } }']) {
    const res = await persistedGet(query, ann.token);
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.headers.get('cache-control') ?? 'no-store', /public|max-age=[1-9]/, query);
  }
});
