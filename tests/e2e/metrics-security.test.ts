// /metrics on every service: bounded label values, so client-chosen operation names cannot grow it
// without end, and with METRICS_TOKEN set, only a scrape with that bearer token is answered.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../lib/system/system.js';
import { MAX_CLIENT_LABEL_VALUES, OTHER_LABEL_VALUE } from '../../lib/platform/observability/metrics.js';
import { gql } from '../../lib/testkit/graphql.js';
import { testSystem } from '../../lib/testkit/system.js';

const METRICS_TOKEN = randomBytes(24).toString('hex');
const sys: System = await testSystem({ METRICS_TOKEN });
const services = { gateway: sys.gateway.url, ...Object.fromEntries(Object.entries(sys.subgraphs).map(([name, s]) => [name, s.url])) };

const scrape = (url: string, authorization?: string) => fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} });

/** The distinct `operation` label values of one metric in a scrape. */
function operationValues(text: string, metric: string): Set<string> {
  const values = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const value = /[{,]operation="([^"]*)"/.exec(line)?.[1];
    if (value !== undefined) values.add(value);
  }
  return values;
}

test('500 distinct operation names leave at most 101 operation label values, on the gateway and the subgraph they reach', async () => {
  const names = Array.from({ length: 500 }, (_, i) => `DistinctOperation${i}`);
  for (let i = 0; i < names.length; i += 25) {
    const batch = names.slice(i, i + 25).map((name) => gql(sys.gateway.url, `query ${name} { products(first: 1) { totalCount } }`));
    for (const res of await Promise.all(batch)) assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  }
  for (const [service, url] of [
    ['gateway', sys.gateway.url],
    ['inventory', sys.subgraphs.inventory.url],
  ] as const) {
    const text = await (await scrape(url, `Bearer ${METRICS_TOKEN}`)).text();
    for (const metric of ['graphql_operations_total', 'graphql_operation_duration_seconds_count']) {
      const values = operationValues(text, metric);
      assert.ok(values.size <= MAX_CLIENT_LABEL_VALUES + 1, `${service} ${metric}: ${values.size} operation values`);
      assert.ok(values.has(OTHER_LABEL_VALUE), `${service} ${metric}: the names past the bound count as "other"`);
    }
  }
});

test('/metrics needs the METRICS_TOKEN bearer on the gateway and every subgraph', async () => {
  for (const [service, url] of Object.entries(services)) {
    assert.equal((await scrape(url)).status, 401, `${service}: no token`);
    assert.equal((await scrape(url, `Bearer ${METRICS_TOKEN.slice(1)}`)).status, 401, `${service}: a wrong token`);
    assert.equal((await scrape(url, `Bearer ${sys.config.SERVICE_TOKEN}`)).status, 401, `${service}: another secret`);
    assert.equal((await scrape(url, METRICS_TOKEN)).status, 401, `${service}: the token without the Bearer scheme`);
    const ok = await scrape(url, `Bearer ${METRICS_TOKEN}`);
    assert.equal(ok.status, 200, `${service}: the right token`);
    assert.match(await ok.text(), /service="/, `${service}: the metrics themselves`);
  }
});
