// Sign-up, log-in and who may do what, through the gateway against the real services.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { System } from '../../../lib/system/system.js';
import { DEV_ADMIN } from '../../../lib/platform/config.js';
import { fails, gql, ok, withoutTraceId } from '../../../lib/testkit/graphql.js';
import { logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { DEMO_CUSTOMER } from '../src/use-cases/seed-demo.js';

const sys: System = await testSystem();
const url = sys.gateway.url;
const admin: Shopper = await logInAdmin(sys);

const SIGN_UP = `mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token customer { id email name role } } }`;
const LOG_IN = `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token customer { id email role } } }`;
const ME = `{ me { id email name role storeCredit { amount currency } loyaltyPoints coupons { code } } }`;
// Public, so that it shows in every customer's coupons.
const ISSUE_COUPON = `mutation($code: String!) { issueCoupon(input: { code: $code, percentOff: 10, public: true }) { code percentOff } }`;
const GRANT_CREDIT = `mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 1000, currency: "USD") { id storeCredit { amount } } }`;

const uniqueEmail = (name = 'user') => `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;
const uniqueCode = () => `T${randomBytes(4).toString('hex').toUpperCase()}`;

test('signUp returns a token that the gateway accepts, and logIn finds the same customer', async () => {
  const email = uniqueEmail('Cleo');
  const signed = (await ok(url, SIGN_UP, { e: `  ${email.toUpperCase()} `, p: 'correct-horse', n: ' Cleo ' })).signUp;
  const { id, ...customer } = signed.customer;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(customer, { email, name: 'Cleo', role: 'CUSTOMER' }, 'email is trimmed and lower-cased, name trimmed');
  const me = (await ok(url, ME, {}, signed.token)).me;
  assert.equal(me.id, id);
  assert.deepEqual(me.storeCredit, { amount: 0, currency: 'USD' });
  assert.equal(me.loyaltyPoints, 0);

  const logged = (await ok(url, LOG_IN, { e: email.toUpperCase(), p: 'correct-horse' })).logIn;
  assert.equal(logged.customer.id, id, 'logIn ignores the case of the email');
  assert.equal((await ok(url, `{ me { id } }`, {}, logged.token)).me.id, id);
});

test('a wrong password and an unknown email get the same UNAUTHENTICATED answer', async () => {
  const ann = await signUp(sys, 'Ann');
  const wrongPassword = await fails(url, 'UNAUTHENTICATED', LOG_IN, { e: ann.email, p: 'not-the-password' });
  const unknownEmail = await fails(url, 'UNAUTHENTICATED', LOG_IN, { e: uniqueEmail('nobody'), p: 'correct-horse' });
  assert.equal(wrongPassword.message, unknownEmail.message, 'neither answer may reveal whether the email exists');
  assert.deepEqual(wrongPassword.extensions, unknownEmail.extensions);
});

test('signing up twice with one email is a CONFLICT, whatever its case', async () => {
  const email = uniqueEmail('dup');
  const first = (await ok(url, SIGN_UP, { e: email, p: 'correct-horse', n: 'First' })).signUp;
  await fails(url, 'CONFLICT', SIGN_UP, { e: email, p: 'another-password', n: 'Second' });
  await fails(url, 'CONFLICT', SIGN_UP, { e: email.toUpperCase(), p: 'another-password', n: 'Second' });
  // The first account is untouched: its password still works, the second one does not.
  assert.equal((await ok(url, LOG_IN, { e: email, p: 'correct-horse' })).logIn.customer.id, first.customer.id);
  await fails(url, 'UNAUTHENTICATED', LOG_IN, { e: email, p: 'another-password' });
});

test('a bad email, password or name is BAD_USER_INPUT and creates no account', async () => {
  for (const bad of ['not-an-email', 'two@@example.com', 'spaces in@example.com', '', `${'a'.repeat(250)}@example.com`]) {
    await fails(url, 'BAD_USER_INPUT', SIGN_UP, { e: bad, p: 'correct-horse', n: 'Bad' });
  }
  const shortPassword = uniqueEmail('short');
  await fails(url, 'BAD_USER_INPUT', SIGN_UP, { e: shortPassword, p: 'short', n: 'Short' });
  const longPassword = uniqueEmail('long');
  await fails(url, 'BAD_USER_INPUT', SIGN_UP, { e: longPassword, p: 'x'.repeat(201), n: 'Long' });
  const noName = uniqueEmail('noname');
  await fails(url, 'BAD_USER_INPUT', SIGN_UP, { e: noName, p: 'correct-horse', n: '   ' });
  // Nothing was written: the same emails sign up cleanly now.
  for (const email of [shortPassword, longPassword, noName]) {
    await fails(url, 'UNAUTHENTICATED', LOG_IN, { e: email, p: 'correct-horse' });
    await ok(url, SIGN_UP, { e: email, p: 'correct-horse', n: 'Fine' });
  }
});

test('me is null when anonymous', async () => {
  const res = await gql(url, ME);
  assert.deepEqual(withoutTraceId(res), { data: { me: null } });
});

test('a tampered, foreign, expired or malformed token is UNAUTHENTICATED, never a guest or an admin', async () => {
  const bob = await signUp(sys, 'Bob');
  const [header, payload, signature] = bob.token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const asAdmin = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
  const asSomeoneElse = Buffer.from(JSON.stringify({ ...claims, sub: admin.id })).toString('base64url');
  const key = (secret: string) => new TextEncoder().encode(secret);
  const tokens: Record<string, string> = {
    'role changed to ADMIN': `${header}.${asAdmin}.${signature}`,
    'subject changed': `${header}.${asSomeoneElse}.${signature}`,
    'signature cut off': `${header}.${payload}.`,
    'signed with another secret': await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key('some-other-secret-that-is-long-enough!!')),
    expired: await new SignJWT({ role: 'CUSTOMER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(bob.id)
      .setIssuedAt(1_600_000_000)
      .setExpirationTime(1_600_000_600)
      .sign(key(sys.config.JWT_SECRET)),
    'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${asAdmin}.`,
    garbage: 'not-a-token',
  };
  for (const [what, token] of Object.entries(tokens)) {
    const res = await gql(url, ME, {}, token);
    assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `${what}: ${JSON.stringify(res)}`);
    assert.ok(!res.data?.me, `${what}: no customer for a bad token: ${JSON.stringify(res)}`);
    await fails(url, 'UNAUTHENTICATED', ISSUE_COUPON, { code: uniqueCode() }, token);
  }
  // Not a bearer token at all.
  const basic = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
    body: JSON.stringify({ query: ME }),
  });
  const body = await basic.json();
  assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(body));
  // The untouched token still works.
  assert.equal((await bob.query(`{ me { id } }`)).me.id, bob.id);
});

test('issueCoupon and grantStoreCredit are refused to customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED), writing nothing', async () => {
  const cat = await signUp(sys, 'Cat');
  const code = uniqueCode();
  await fails(url, 'FORBIDDEN', ISSUE_COUPON, { code }, cat.token);
  await fails(url, 'UNAUTHENTICATED', ISSUE_COUPON, { code });
  await fails(url, 'FORBIDDEN', GRANT_CREDIT, { id: cat.id }, cat.token);
  await fails(url, 'UNAUTHENTICATED', GRANT_CREDIT, { id: cat.id });

  const me = (await cat.query(ME)).me;
  assert.equal(me.storeCredit.amount, 0, 'no credit was granted');
  assert.ok(!me.coupons.some((c: { code: string }) => c.code === code), 'no coupon was issued');
  // The admin may: the code is still free (nothing was written before) and the credit lands.
  assert.deepEqual((await admin.query(ISSUE_COUPON, { code })).issueCoupon, { code, percentOff: 10 });
  assert.equal((await admin.query(GRANT_CREDIT, { id: cat.id })).grantStoreCredit.storeCredit.amount, 1000);
  const after = (await cat.query(ME)).me;
  assert.equal(after.storeCredit.amount, 1000);
  assert.ok(after.coupons.some((c: { code: string }) => c.code === code));
  assert.equal(after.role, 'CUSTOMER');
});

test('the admin named by ADMIN_EMAIL / ADMIN_PASSWORD exists and is an ADMIN', async () => {
  const me = (await admin.query(ME)).me;
  assert.equal(me.email, sys.config.ADMIN_EMAIL);
  assert.equal(me.role, 'ADMIN');
  await fails(url, 'UNAUTHENTICATED', LOG_IN, { e: sys.config.ADMIN_EMAIL, p: 'not-the-admin-password' });
});

test('the demo customer is seeded and logs in', async () => {
  const demo = (await ok(url, LOG_IN, { e: DEMO_CUSTOMER.email, p: DEMO_CUSTOMER.password })).logIn;
  assert.equal(demo.customer.role, 'CUSTOMER');
  const me = (await ok(url, ME, {}, demo.token)).me;
  assert.equal(me.email, DEMO_CUSTOMER.email);
  assert.equal(me.name, DEMO_CUSTOMER.name);
  assert.equal(me.storeCredit.amount, 500);
  assert.ok(
    me.coupons.some((c: { code: string }) => c.code === 'WELCOME10'),
    JSON.stringify(me.coupons),
  );
});

test('with SEED_DEMO=false and a custom admin: only that admin exists, and nothing is seeded', async () => {
  const adminEmail = uniqueEmail('ops');
  const other = await testSystem({ SEED_DEMO: 'false', ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: 'ops-password-123' });
  const u = other.gateway.url;
  const ops = (await ok(u, LOG_IN, { e: adminEmail, p: 'ops-password-123' })).logIn;
  assert.equal(ops.customer.role, 'ADMIN');
  await fails(u, 'UNAUTHENTICATED', LOG_IN, { e: DEV_ADMIN.email, p: DEV_ADMIN.password });
  await fails(u, 'UNAUTHENTICATED', LOG_IN, { e: DEMO_CUSTOMER.email, p: DEMO_CUSTOMER.password });
  assert.deepEqual((await ok(u, `{ me { coupons { code } } }`, {}, ops.token)).me.coupons, [], 'no demo coupon');
  assert.equal((await ok(u, `{ products(first: 1) { totalCount } }`)).products.totalCount, 0, 'no demo catalog');
});
