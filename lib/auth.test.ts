// Bearer tokens: verified once, then remembered until they expire; a changed or expired token is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { TokenService } from './auth.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);

test('a verified token keeps naming its user; a token with a changed signature is refused', async () => {
  const tokens = new TokenService(SECRET);
  const token = await tokens.sign({ id: 'c1', role: 'CUSTOMER' });
  for (let i = 0; i < 3; i++) assert.deepEqual(await tokens.userFromAuthorization(`Bearer ${token}`), { id: 'c1', role: 'CUSTOMER' });
  const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
  await assert.rejects(tokens.userFromAuthorization(`Bearer ${tampered}`), { extensions: { code: 'UNAUTHENTICATED' } });
  const otherSecret = await new SignJWT({ role: 'ADMIN' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('c1')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('another-secret-of-enough-length-here'));
  await assert.rejects(tokens.userFromAuthorization(`Bearer ${otherSecret}`), { extensions: { code: 'UNAUTHENTICATED' } });
});

test('a remembered token is refused once it expires', async () => {
  const tokens = new TokenService(SECRET);
  const exp = Math.floor(Date.now() / 1000) + 2;
  const token = await new SignJWT({ role: 'CUSTOMER' }).setProtectedHeader({ alg: 'HS256' }).setSubject('c2').setExpirationTime(exp).sign(key);
  assert.deepEqual(await tokens.userFromAuthorization(`Bearer ${token}`), { id: 'c2', role: 'CUSTOMER' });
  await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
  await assert.rejects(tokens.userFromAuthorization(`Bearer ${token}`), { extensions: { code: 'UNAUTHENTICATED' } });
});
