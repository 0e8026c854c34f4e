import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counterKey, logInCounters, retryAfterSeconds } from './sign-in-limits.js';

const limits = { windowMs: 15 * 60_000, loginFailuresPerEmail: 5, loginFailuresPerAddress: 30, signUpsPerAddress: 10 };

test('retryAfter is the whole seconds until the window passes, at least 1', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  assert.equal(retryAfterSeconds(start, limits.windowMs, new Date('2026-01-01T00:00:00Z')), 900);
  assert.equal(retryAfterSeconds(start, limits.windowMs, new Date('2026-01-01T00:14:59.500Z')), 1);
  assert.equal(retryAfterSeconds(start, limits.windowMs, new Date('2026-01-01T00:20:00Z')), 1);
});

test('counter keys fit their column whatever was typed, and kinds never share a key', () => {
  const key = counterKey('sign-up-address', 'x'.repeat(100_000));
  assert.ok(key.length <= 80, key);
  const [email, address] = logInCounters(limits, '203.0.113.9', '203.0.113.9');
  assert.notEqual(email.key, address.key);
  assert.deepEqual([email.limit, address.limit], [5, 30]);
});
