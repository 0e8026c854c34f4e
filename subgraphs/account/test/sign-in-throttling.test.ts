// Sign-in throttling, password rules and the timing of an unknown email, against the real account
// subgraph. Requests go straight to its port with X-Forwarded-For (as the gateway sends it), so
// that every test counts against client addresses of its own.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { DUMMY_PASSWORD_HASH } from '../../../lib/platform/auth.js';
import { testSystem } from '../../../lib/testkit/system.js';
import { counterKey } from '../src/domain/sign-in-limits.js';
import { SignInCounterEntity } from '../src/persistence/entities.js';
import { accountDeps } from '../src/use-cases/deps.js';
import { logIn } from '../src/use-cases/log-in.js';
import { sweepSignInCounters } from '../src/use-cases/sign-in-counters.js';

// The default limits, stated here so that the test says what it checks (testConfig raises sign-ups).
const sys: System = await testSystem({ SIGN_UPS_PER_ADDRESS: '10', LOGIN_FAILURES_PER_EMAIL: '5', LOGIN_FAILURES_PER_ADDRESS: '30', SIGN_IN_WINDOW: '15m' });
const account = sys.subgraphs.account;
const WINDOW_S = 15 * 60;

const SIGN_UP = `mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token customer { id } } }`;
const LOG_IN = `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token customer { id } } }`;

let lastAddress = 0;
/** A client address no other test uses. */
const freshAddress = () => `198.51.100.${++lastAddress}`;
const uniqueEmail = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`;

interface Answer {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** A request to the account subgraph as the gateway makes it, from `address`. */
async function post(query: string, variables: Record<string, unknown>, address: string): Promise<Answer> {
  const res = await fetch(`${account.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

const codeOf = (a: Answer) => a.errors?.[0]?.extensions?.code ?? 'OK';

async function newCustomer(name: string, password = 'correct-horse-battery') {
  const email = uniqueEmail(name);
  const a = await post(SIGN_UP, { e: email, p: password, n: name }, freshAddress());
  assert.equal(codeOf(a), 'OK', JSON.stringify(a));
  return { email, password, id: a.data!.signUp.customer.id as string };
}

function assertRateLimited(a: Answer, what: string) {
  assert.equal(codeOf(a), 'RATE_LIMITED', `${what}: ${JSON.stringify(a)}`);
  const retryAfter = a.errors![0]!.extensions!.retryAfter;
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= WINDOW_S, `${what}: retryAfter ${retryAfter}`);
}

test('after 5 wrong passwords the sixth is RATE_LIMITED with retryAfter, and so is the right one, from any address', async () => {
  const ann = await newCustomer('ann');
  const from = freshAddress();
  for (let i = 1; i <= 5; i++) assert.equal(codeOf(await post(LOG_IN, { e: ann.email, p: `wrong-${i}` }, from)), 'UNAUTHENTICATED', `guess ${i}`);
  assertRateLimited(await post(LOG_IN, { e: ann.email, p: 'wrong-6' }, from), 'the sixth guess');
  assertRateLimited(await post(LOG_IN, { e: ann.email, p: ann.password }, from), 'the right password');
  assertRateLimited(await post(LOG_IN, { e: ann.email.toUpperCase(), p: ann.password }, freshAddress()), 'the right password from elsewhere');

  // Another email from the same address still works: 5 failures are far from the address's 30.
  const bob = await newCustomer('bob');
  assert.equal(codeOf(await post(LOG_IN, { e: bob.email, p: bob.password }, from)), 'OK');
});

test('the limit lasts until the window passes, then the right password works again', async () => {
  const cid = await newCustomer('cid');
  const from = freshAddress();
  for (let i = 1; i <= 5; i++) await post(LOG_IN, { e: cid.email, p: `wrong-${i}` }, from);
  assertRateLimited(await post(LOG_IN, { e: cid.email, p: cid.password }, from), 'at the limit');
  // The window started 15 minutes ago (moved back in the database rather than waited for).
  const key = counterKey('login-email', cid.email);
  await account.runtime.db.transaction((em) => em.update(SignInCounterEntity, { key }, { windowStart: new Date(Date.now() - WINDOW_S * 1000 - 1000) }));
  assert.equal(codeOf(await post(LOG_IN, { e: cid.email, p: cid.password }, from)), 'OK');
});

test('only failures count: a right password before the limit starts the email count again', async () => {
  const dee = await newCustomer('dee');
  const from = freshAddress();
  for (let i = 1; i <= 4; i++) await post(LOG_IN, { e: dee.email, p: `wrong-${i}` }, from);
  assert.equal(codeOf(await post(LOG_IN, { e: dee.email, p: dee.password }, from)), 'OK');
  for (let i = 1; i <= 5; i++) assert.equal(codeOf(await post(LOG_IN, { e: dee.email, p: `again-${i}` }, from)), 'UNAUTHENTICATED', `guess ${i}`);
  assertRateLimited(await post(LOG_IN, { e: dee.email, p: dee.password }, from), 'five new failures');
});

test('30 failures from one address, over many emails, stop every logIn from it; other addresses are unaffected', async () => {
  const eve = await newCustomer('eve');
  const from = freshAddress();
  // 30 distinct unknown emails: no email reaches its own limit of 5.
  for (let i = 1; i <= 30; i++) assert.equal(codeOf(await post(LOG_IN, { e: uniqueEmail('nobody'), p: 'wrong-password' }, from)), 'UNAUTHENTICATED');
  assertRateLimited(await post(LOG_IN, { e: uniqueEmail('nobody'), p: 'wrong-password' }, from), 'the 31st failure');
  assertRateLimited(await post(LOG_IN, { e: eve.email, p: eve.password }, from), 'a right password from that address');
  assert.equal(codeOf(await post(LOG_IN, { e: eve.email, p: eve.password }, freshAddress())), 'OK', 'the same account from elsewhere');
});

test('signUp: 10 per address in the window, then RATE_LIMITED; another address may still sign up', async () => {
  const from = freshAddress();
  for (let i = 1; i <= 10; i++) {
    assert.equal(codeOf(await post(SIGN_UP, { e: uniqueEmail(`fay${i}`), p: 'correct-horse', n: 'Fay' }, from)), 'OK', `sign-up ${i}`);
  }
  const refused = uniqueEmail('fay11');
  assertRateLimited(await post(SIGN_UP, { e: refused, p: 'correct-horse', n: 'Fay' }, from), 'the 11th sign-up');
  assert.equal(codeOf(await post(LOG_IN, { e: refused, p: 'correct-horse' }, freshAddress())), 'UNAUTHENTICATED', 'no account was made');
  assert.equal(codeOf(await post(SIGN_UP, { e: refused, p: 'correct-horse', n: 'Fay' }, freshAddress())), 'OK');
});

test('weak passwords are BAD_USER_INPUT saying why; nothing is written and nothing is counted', async () => {
  const from = freshAddress();
  const weak: [string, RegExp][] = [
    ['nine-char', /10 to 200 characters/],
    [' '.repeat(12), /whitespace/],
    ['password123', /most common/],
    ['PassWord123', /most common/],
    ['qwertyuiop', /most common/],
    ['1234567890', /most common/],
  ];
  const email = uniqueEmail('gus');
  // Twice the sign-up limit: refused input is not an attempt the address is charged for.
  for (let round = 0; round < 2; round++) {
    for (const [password, why] of weak) {
      const a = await post(SIGN_UP, { e: email, p: password, n: 'Gus' }, from);
      assert.equal(codeOf(a), 'BAD_USER_INPUT', `${JSON.stringify(password)}: ${JSON.stringify(a)}`);
      assert.match(a.errors![0]!.message, why);
    }
  }
  assert.equal(codeOf(await post(LOG_IN, { e: email, p: 'password123' }, freshAddress())), 'UNAUTHENTICATED', 'no account was made');
  assert.equal(codeOf(await post(SIGN_UP, { e: email, p: 'correct-horse', n: 'Gus' }, from)), 'OK');
});

test('an unknown email is checked against the dummy hash, a known one against its own: one scrypt each', async () => {
  const hal = await newCustomer('hal');
  const checked: string[] = [];
  const counting = async (_password: string, hash: string) => {
    checked.push(hash);
    return false;
  };
  const deps = { ...accountDeps(account.runtime), checkPassword: counting };
  await assert.rejects(logIn(deps, { email: uniqueEmail('nobody'), password: 'whatever-it-is', clientAddress: freshAddress() }), {
    extensions: { code: 'UNAUTHENTICATED' },
  });
  assert.deepEqual(checked, [DUMMY_PASSWORD_HASH]);
  await assert.rejects(logIn(deps, { email: hal.email, password: 'whatever-it-is', clientAddress: freshAddress() }), {
    extensions: { code: 'UNAUTHENTICATED' },
  });
  assert.equal(checked.length, 2);
  assert.match(checked[1]!, /^scrypt\$/);
  assert.notEqual(checked[1], DUMMY_PASSWORD_HASH);
});

test('a counter whose window has passed is swept; live ones stay', async () => {
  const [old, live] = [uniqueEmail('old'), uniqueEmail('live')];
  for (const e of [old, live]) await post(LOG_IN, { e, p: 'wrong-password' }, freshAddress());
  const { db } = account.runtime;
  await db.transaction((em) =>
    em.update(SignInCounterEntity, { key: counterKey('login-email', old) }, { windowStart: new Date(Date.now() - WINDOW_S * 1000 - 1000) }),
  );
  await sweepSignInCounters(accountDeps(account.runtime), { now: new Date() }); // SIGN_IN_WINDOW is WINDOW_S
  assert.equal(await db.manager.countBy(SignInCounterEntity, { key: counterKey('login-email', old) }), 0);
  assert.equal(await db.manager.countBy(SignInCounterEntity, { key: counterKey('login-email', live) }), 1);
});
