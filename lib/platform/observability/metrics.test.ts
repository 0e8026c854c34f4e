// Label values a client chooses are bounded per service instance: the first 100 keep their name
// (cut to 100 characters), every later one counts as `other`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CLIENT_LABEL_VALUES, OTHER_LABEL_VALUE, ServiceMetrics } from './metrics.js';

function labelValues(text: string, metric: string, label: string): Set<string> {
  const pattern = new RegExp(`[{,]${label}="([^"]*)"`);
  return new Set(text.split('\n').flatMap((line) => (line.startsWith(`${metric}{`) ? [pattern.exec(line)?.[1] ?? ''] : [])));
}

test('operation names past the bound count as other; known ones keep counting under their own name', () => {
  const metrics = new ServiceMetrics('unit');
  const labels = Array.from({ length: 300 }, (_, i) => metrics.operationLabel(`Op${i}`));
  assert.deepEqual(
    labels.slice(0, MAX_CLIENT_LABEL_VALUES),
    Array.from({ length: MAX_CLIENT_LABEL_VALUES }, (_, i) => `Op${i}`),
  );
  assert.ok(labels.slice(MAX_CLIENT_LABEL_VALUES).every((l) => l === OTHER_LABEL_VALUE));
  assert.equal(metrics.operationLabel('Op7'), 'Op7', 'a name kept before stays kept');
  assert.equal(new ServiceMetrics('unit').operationLabel(undefined), 'anonymous');
  assert.equal(new ServiceMetrics('unit').operationLabel('x'.repeat(5000)).length, 100, 'an over-long name is cut');
});

test('Stripe webhook event types are bounded too', async () => {
  const metrics = new ServiceMetrics('payment');
  for (let i = 0; i < 250; i++) metrics.webhookEvents.inc({ type: `custom.event_${i}`, outcome: 'ignored' });
  const types = labelValues(await metrics.registry.metrics(), 'stripe_webhook_events_total', 'type');
  assert.equal(types.size, MAX_CLIENT_LABEL_VALUES + 1);
  assert.ok(types.has(OTHER_LABEL_VALUE));
});
