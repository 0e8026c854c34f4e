// The configurations for running behind another gateway stay in step with the schema: rover's
// supergraph.yaml names every subgraph and routes where the committed supergraph does, the
// Router example forwards authorization and passes subscriptions through over graphql-ws, and
// the Hive Gateway config forwards authorization (tests/e2e/hive-gateway.test.ts runs it).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { SERVICES } from '../../lib/platform/config.js';
import { projectPath } from '../../lib/platform/paths.js';
import { supergraphPath } from '../../lib/platform/schema.js';
import { subgraphUrl } from '../../gateway/src/app.js';
import { testConfig } from '../../lib/testkit/config.js';
import { gatewayConfig } from '../../gateway.config.js';

const joinGraphUrls = Object.fromEntries(
  [...readFileSync(supergraphPath, 'utf8').matchAll(/@join__graph\(name: "(\w+)", url: "([^"]+)"\)/g)].map((m) => [m[1]!, m[2]!]),
);

test('supergraph.yaml composes every subgraph from its SDL and routes where the committed supergraph does', () => {
  const rover = parse(readFileSync(projectPath('supergraph.yaml'), 'utf8'));
  assert.deepEqual(Object.keys(rover.subgraphs).sort(), [...SERVICES].sort());
  for (const name of SERVICES) {
    assert.ok(existsSync(projectPath(rover.subgraphs[name].schema.file)), name);
    assert.equal(rover.subgraphs[name].routing_url, joinGraphUrls[name]);
    assert.doesNotMatch(joinGraphUrls[name]!, /\.invalid/);
  }
});

test('router.yaml: authorization to every subgraph, subscriptions passed through over graphql-ws, each URL overridable', () => {
  const router = parse(readFileSync(projectPath('router.yaml'), 'utf8'));
  assert.deepEqual(router.headers.all.request, [{ propagate: { named: 'authorization' } }]);
  assert.equal(router.subscription.enabled, true);
  assert.deepEqual(router.subscription.mode.passthrough.all, { path: '/graphql', protocol: 'graphql_ws' });
  for (const name of SERVICES)
    assert.match(router.override_subgraph_url[name], new RegExp(`^\\$\\{env\\.${name.toUpperCase()}_URL:-http://localhost:\\d+\\}/graphql$`));
});

test('gateway.config.ts forwards the client’s authorization to the subgraphs', async () => {
  const headers = await gatewayConfig.propagateHeaders.fromClientToSubgraphs({ request: new Request('http://x/', { headers: { authorization: 'Bearer t' } }) });
  assert.deepEqual(headers, { authorization: 'Bearer t' });
});

test('our gateway routes to the join__graph URLs unless a setting or an option overrides them', () => {
  const config = testConfig();
  const defaults = { ...config, ACCOUNT_URL: undefined, ACCOUNT_PORT: 4001 };
  assert.equal(subgraphUrl(defaults, 'account', 'http://localhost:4001/graphql'), 'http://localhost:4001/graphql');
  assert.equal(
    subgraphUrl({ ...defaults, ACCOUNT_URL: 'http://account.internal:8080' }, 'account', 'http://localhost:4001/graphql'),
    'http://account.internal:8080/graphql',
  );
  assert.equal(subgraphUrl(defaults, 'account', 'http://localhost:4001/graphql', { account: 'http://10.0.0.5:9' }), 'http://10.0.0.5:9/graphql');
  // Only the port changed, the supergraph not recomposed: still this machine, at that port.
  assert.equal(subgraphUrl({ ...defaults, ACCOUNT_PORT: 5001 }, 'account', 'http://localhost:4001/graphql'), 'http://localhost:5001/graphql');
  // A subgraph that isn't one of ours: as composed.
  assert.equal(subgraphUrl(defaults, 'reviews', 'https://reviews.example.com/graphql'), 'https://reviews.example.com/graphql');
});
