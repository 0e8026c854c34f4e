// EVENT_CONSUMERS (the queues every broker declares on connect) must be exactly what the
// subgraphs consume: a missing entry loses events published before the consumer first started,
// an extra one fills a queue nobody reads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EVENT_CONSUMERS } from '../../lib/contracts/events.js';
import { SERVICES } from '../../lib/platform/config.js';

test('EVENT_CONSUMERS lists exactly the events each subgraph consumes', () => {
  const consumed = SERVICES.flatMap((service) => {
    const source = readFileSync(new URL(`../../subgraphs/${service}/src/messaging/consumers.ts`, import.meta.url), 'utf8');
    return [...source.matchAll(/consumeOnce\(\s*inbox,\s*'([a-z_.]+)'/g)].map((m) => `${m[1]} → ${service}`);
  });
  const declared = Object.entries(EVENT_CONSUMERS).flatMap(([type, services]) => services.map((s) => `${type} → ${s}`));
  assert.ok(consumed.length > 10, 'the consumers were found');
  assert.deepEqual([...declared].sort(), [...consumed].sort());
});
