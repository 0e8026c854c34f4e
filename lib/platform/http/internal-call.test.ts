// A signed internal call is accepted for exactly what it was signed for, within its lifetime and
// the clock skew tolerance, and refused for anything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOCK_SKEW_TOLERANCE_S, INTERNAL_CALL_LIFETIME_S, signInternalCall, verifyInternalCall, type InternalCall } from './internal-call.js';

const SECRET = 'a-service-token-for-unit-tests';
const call: InternalCall = { audience: 'inventory', method: 'POST', path: '/internal/holds', body: '{"orderId":"o1","items":[]}' };
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

test('a call verifies for exactly what was signed', async () => {
  const token = await signInternalCall(SECRET, call);
  assert.equal(await verifyInternalCall(SECRET, token, call), true);
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, method: 'post' }), true, 'the method is compared as HTTP does, case aside');
});

test('another path, method, body, audience or secret is refused', async () => {
  const token = await signInternalCall(SECRET, call);
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, path: '/internal/holds/o1' }), false, 'other path');
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, path: '/internal/holds?x=1' }), false, 'other query string');
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, method: 'DELETE' }), false, 'other method');
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, body: '{"orderId":"o2","items":[]}' }), false, 'other body');
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, body: undefined }), false, 'body dropped');
  assert.equal(await verifyInternalCall(SECRET, token, { ...call, audience: 'account' }), false, 'other service');
  assert.equal(await verifyInternalCall('another-service-token-entirely', token, call), false, 'wrong secret');
  assert.equal(await verifyInternalCall(SECRET, SECRET, call), false, 'the SERVICE_TOKEN itself is no signature');
  const noBody = await signInternalCall(SECRET, { ...call, method: 'DELETE', body: undefined });
  assert.equal(await verifyInternalCall(SECRET, noBody, { ...call, method: 'DELETE', body: '{}' }), false, 'a body added to a call signed without one');
});

test('a call expires after its lifetime, with the clock skew tolerance either way', async () => {
  const signedAt = new Date();
  const token = await signInternalCall(SECRET, call, signedAt);
  const ok = (seconds: number) => verifyInternalCall(SECRET, token, call, at(signedAt, seconds));
  assert.equal(await ok(INTERNAL_CALL_LIFETIME_S - 1), true, 'within its lifetime');
  assert.equal(await ok(INTERNAL_CALL_LIFETIME_S + CLOCK_SKEW_TOLERANCE_S - 1), true, 'just past it, within the tolerance');
  assert.equal(await ok(INTERNAL_CALL_LIFETIME_S + CLOCK_SKEW_TOLERANCE_S + 1), false, 'past lifetime and tolerance');
  assert.equal(await ok(3600), false, 'an hour later');
  assert.equal(await ok(-(CLOCK_SKEW_TOLERANCE_S - 1)), true, "a signer's clock slightly ahead");
  assert.equal(await ok(-(CLOCK_SKEW_TOLERANCE_S + 2)), false, 'dated into the future beyond the tolerance');
});
