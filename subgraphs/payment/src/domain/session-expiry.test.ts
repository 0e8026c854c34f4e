import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionExpiry } from './session-expiry.js';

const placed = Date.parse('2026-11-23T10:00:00Z');

test('the emulator gets exactly the payment window', () => {
  assert.equal(sessionExpiry(placed, 60_000, false, placed + 5000), (placed + 60_000) / 1000);
});

test('real Stripe gets at least 31 minutes from now, stable within a 5-minute step', () => {
  const a = sessionExpiry(placed, 30 * 60_000, true, placed + 10_000);
  const b = sessionExpiry(placed, 30 * 60_000, true, placed + 70_000);
  assert.equal(a, b);
  assert.ok(a * 1000 >= placed + 70_000 + 31 * 60_000);
  assert.equal(sessionExpiry(placed, 3 * 3_600_000, true, placed + 10_000), (placed + 3 * 3_600_000) / 1000);
});
