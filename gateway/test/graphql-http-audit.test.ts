// The gateway speaks GraphQL over HTTP as the spec says: every MUST audit of the graphql-http
// package passes against the real gateway (https://graphql.github.io/graphql-over-http/).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { serverAudits, type AuditResult } from 'graphql-http';
import { testSystem } from '../../lib/testkit/system.js';

const sys = await testSystem();
const url = `${sys.gateway.url}/graphql`;

async function runAudits(): Promise<{ name: string; result: AuditResult }[]> {
  const results = [];
  for (const audit of serverAudits({ url })) results.push({ name: audit.name, result: await audit.fn() });
  return results;
}

async function describe(result: AuditResult): Promise<string> {
  if (result.status === 'ok') return '';
  const res = result.response;
  const body = await res
    .clone()
    .text()
    .catch(() => '(no body)');
  return `${result.reason}\n      → HTTP ${res.status} ${res.headers.get('content-type') ?? ''}: ${body.slice(0, 300)}`;
}

test('every MUST audit of graphql-http passes against the gateway', async () => {
  const results = await runAudits();
  const must = results.filter((r) => r.name.startsWith('MUST'));
  assert.ok(must.length > 10, `expected the MUST audits, got ${must.length}`);
  const failed = [];
  for (const r of must) if (r.result.status !== 'ok') failed.push(`  ✗ ${r.name}\n      ${await describe(r.result)}`);
  assert.equal(failed.length, 0, `${failed.length} of ${must.length} MUST audits failed:\n${failed.join('\n')}`);
});

test('a malformed request gets a 4xx JSON error that says what is wrong, never HTML or a stack trace', async () => {
  const cases: [string, string][] = [
    ['application/json', '{ "not a JSON'],
    ['application/json', '[1, 2]'],
    ['text/plain', '{"query":"{ __typename }"}'],
  ];
  for (const [contentType, body] of cases) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/graphql-response+json, application/json' },
      body,
    });
    const text = await res.text();
    const shown = `POST ${contentType} ${body}\n→ HTTP ${res.status} ${res.headers.get('content-type')}\n${text.slice(0, 500)}`;
    assert.ok(res.status >= 400 && res.status < 500, `a client error: ${shown}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/(graphql-response\+)?json/, `a JSON answer: ${shown}`);
    assert.doesNotMatch(text, /node_modules|\bat \S+ \(|<html|<pre>/i, `nothing internal: ${shown}`);
    const error = (JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors?.[0];
    assert.ok(error, `an errors array: ${shown}`);
    assert.notEqual(error.extensions?.code, 'INTERNAL_SERVER_ERROR', `the client's mistake is not an internal error: ${shown}`);
    assert.notEqual(error.message, 'Internal server error', `the message says what to fix: ${shown}`);
  }
});

test('the SHOULD audits are reported (informational)', async (t) => {
  const results = await runAudits();
  const notOk = results.filter((r) => r.name.startsWith('SHOULD') && r.result.status !== 'ok');
  for (const r of notOk) t.diagnostic(`${r.result.status}: ${r.name}: ${await describe(r.result)}`);
});

test('automatic persisted queries: a hash alone is asked for its query once, then served by hash, also over GET', async () => {
  const query = '{ products(first: 2) { nodes { id name } } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  const post = async (body: unknown) =>
    (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

  const unknown = await post({ extensions });
  assert.equal(unknown.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_FOUND', JSON.stringify(unknown));
  const registered = await post({ query, extensions });
  assert.ok(registered.data?.products, JSON.stringify(registered));
  const byHash = await post({ extensions });
  assert.deepEqual(byHash.data, registered.data);
  const get = await fetch(`${url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, { headers: { 'apollo-require-preflight': 'true' } });
  assert.deepEqual((await get.json()).data, registered.data);

  const wrong = await post({ query: '{ __typename }', extensions });
  assert.equal(wrong.errors?.[0]?.extensions?.code, 'BAD_REQUEST', `a query that does not match its hash is refused: ${JSON.stringify(wrong)}`);
  assert.match(wrong.errors[0].message, /does not match/);
});
