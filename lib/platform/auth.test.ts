// Bearer tokens: verified once, then remembered until they expire; a changed or expired token is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { DUMMY_PASSWORD_HASH, TokenService, hashPassword, verifyPassword } from './auth.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const HOUR = 3_600_000;

test('a verified token keeps naming its user; a token with a changed signature is refused', async () => {
  const tokens = new TokenService(SECRET, HOUR);
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
  const tokens = new TokenService(SECRET, HOUR);
  const exp = Math.floor(Date.now() / 1000) + 2;
  const token = await new SignJWT({ role: 'CUSTOMER' }).setProtectedHeader({ alg: 'HS256' }).setSubject('c2').setExpirationTime(exp).sign(key);
  assert.deepEqual(await tokens.userFromAuthorization(`Bearer ${token}`), { id: 'c2', role: 'CUSTOMER' });
  await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
  await assert.rejects(tokens.userFromAuthorization(`Bearer ${token}`), { extensions: { code: 'UNAUTHENTICATED' } });
});

test('a token without exp is refused, however well signed', async () => {
  const tokens = new TokenService(SECRET, HOUR);
  const forever = await new SignJWT({ role: 'CUSTOMER' }).setProtectedHeader({ alg: 'HS256' }).setSubject('c3').setIssuedAt().sign(key);
  await assert.rejects(tokens.userFromAuthorization(`Bearer ${forever}`), { extensions: { code: 'UNAUTHENTICATED' } });
});

test('signed tokens live for the TTL they were given, then are refused', async () => {
  const hour = await new TokenService(SECRET, HOUR).sign({ id: 'c4', role: 'CUSTOMER' });
  const claims = JSON.parse(Buffer.from(hour.split('.')[1]!, 'base64url').toString('utf8'));
  assert.ok(Math.abs(claims.exp - claims.iat - 3600) <= 1, JSON.stringify(claims));

  const tokens = new TokenService(SECRET, 1000);
  const short = await tokens.sign({ id: 'c5', role: 'CUSTOMER' });
  assert.deepEqual(await tokens.userFromAuthorization(`Bearer ${short}`), { id: 'c5', role: 'CUSTOMER' });
  const exp = JSON.parse(Buffer.from(short.split('.')[1]!, 'base64url').toString('utf8')).exp as number;
  await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
  await assert.rejects(tokens.userFromAuthorization(`Bearer ${short}`), { extensions: { code: 'UNAUTHENTICATED' } });
});

test('for an HTTP request a bad token says status 401; the plain check carries no http extension', async () => {
  const tokens = new TokenService(SECRET, HOUR);
  await assert.rejects(tokens.userFromHttpAuthorization('Bearer not-a-token'), { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  await assert.rejects(tokens.userFromHttpAuthorization('Basic abc'), { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  await assert.rejects(tokens.userFromAuthorization('Bearer not-a-token'), (err: { extensions: Record<string, unknown> }) => !('http' in err.extensions));
  assert.equal(await tokens.userFromHttpAuthorization(undefined), null, 'no token is a guest, not an error');
});

test('the dummy hash an unknown email is checked against costs a real scrypt: same salt and key sizes', async () => {
  const real = await hashPassword('some-password');
  const [scheme, salt, hash] = DUMMY_PASSWORD_HASH.split('$');
  const [, realSalt, realHash] = real.split('$');
  assert.equal(scheme, 'scrypt');
  assert.equal(Buffer.from(salt!, 'base64').length, Buffer.from(realSalt!, 'base64').length);
  assert.equal(Buffer.from(hash!, 'base64').length, Buffer.from(realHash!, 'base64').length);
  assert.equal(await verifyPassword('some-password', DUMMY_PASSWORD_HASH), false);
});
