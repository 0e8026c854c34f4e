import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import { eventsProblem, isPrivateAddress, nextAttemptAt, publicEventOf, signatureHeader, webhookUrlProblem } from './webhooks.js';

test('retries double from the base delay and stop at the window', () => {
  const from = new Date(0);
  const due = (n: number, nowMs: number) => nextAttemptAt(n, new Date(nowMs), from, 30_000, 3 * 86_400_000)?.getTime() ?? null;
  assert.equal(due(1, 0), 30_000);
  assert.equal(due(2, 30_000), 90_000);
  assert.equal(due(3, 90_000), 210_000);
  assert.equal(due(20, 3 * 86_400_000 - 1000), null, 'past the window: given up');
});

test('the signature is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
  const header = signatureHeader('whsec_x', '{"a":1}', new Date(1_700_000_000_500));
  assert.equal(header, `t=1700000000,v1=${createHmac('sha256', 'whsec_x').update('1700000000.{"a":1}').digest('hex')}`);
});

test('order.finished is a status change to FINISHED; other changes are not public', () => {
  const change = (status: string) =>
    ({
      id: 'e1',
      type: 'order.status_changed',
      occurredAt: 'now',
      aggregateId: 'o',
      sequence: 3,
      traceparent: null,
      data: { orderId: 'o', customerId: 'c', status, previousStatus: 'PAID', reason: null, at: 'now' },
    }) as EventEnvelope;
  assert.equal(publicEventOf(change('FINISHED'))?.type, 'order.finished');
  assert.equal(publicEventOf(change('PAID')), null);
});

test('URLs: http(s) only; private and loopback addresses refused when asked', () => {
  assert.equal(webhookUrlProblem('https://example.com/h', [], false), null);
  assert.match(webhookUrlProblem('file:///etc/passwd', [], false)!, /http/);
  assert.equal(webhookUrlProblem('http://127.0.0.1/h', ['127.0.0.1'], false), null);
  assert.match(webhookUrlProblem('http://127.0.0.1/h', ['127.0.0.1'], true)!, /private/);
  assert.match(webhookUrlProblem('http://internal.example/h', ['93.184.216.34', '10.0.0.5'], true)!, /private/);
  assert.equal(webhookUrlProblem('https://example.com/h', ['93.184.216.34'], true), null);
  for (const a of ['10.1.1.1', '172.20.0.1', '192.168.0.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1']) assert.ok(isPrivateAddress(a), a);
  assert.ok(!isPrivateAddress('8.8.8.8'));
  assert.match(eventsProblem(['order.paid', 'nope'])!, /nope/);
});
