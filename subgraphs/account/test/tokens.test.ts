// Token lifetime and how bad tokens are answered over HTTP: UNAUTHENTICATED with status 401 from
// the gateway and from a subgraph reached directly, never a 500.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { System } from '../../../lib/system/system.js';
import { signUp } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

// Short-lived tokens, so that one can be seen to expire.
const sys: System = await testSystem({ JWT_TTL: '2s' });
const ME = `{ me { id } }`;

async function ask(url: string, token: string | null, query = ME) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: token }) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] } };
}

const key = new TextEncoder().encode(sys.config.JWT_SECRET);

test('missing exp, malformed, forged or expired: UNAUTHENTICATED with HTTP 401 at the gateway and at a subgraph', async () => {
  const ann = await signUp(sys, 'Ann');
  const claims = new SignJWT({ role: 'CUSTOMER' }).setProtectedHeader({ alg: 'HS256' }).setSubject(ann.id).setIssuedAt();
  const bad: Record<string, string> = {
    'no exp': `Bearer ${await claims.sign(key)}`,
    expired: `Bearer ${await new SignJWT({ role: 'CUSTOMER' }).setProtectedHeader({ alg: 'HS256' }).setSubject(ann.id).setExpirationTime(1_600_000_000).sign(key)}`,
    forged: `Bearer ${await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(ann.id)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(40)))}`,
    malformed: 'Bearer not.a.token',
    'not a bearer': 'Basic YWRtaW46YWRtaW4=',
  };
  for (const url of [sys.gateway.url, sys.subgraphs.account.url, sys.subgraphs.order.url]) {
    for (const [what, token] of Object.entries(bad)) {
      const { status, body } = await ask(url, token);
      assert.equal(status, 401, `${what} at ${url}: ${JSON.stringify(body)}`);
      assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `${what} at ${url}`);
      assert.ok(!('http' in (body.errors?.[0]?.extensions ?? {})), 'the status is not repeated in the body');
    }
  }
  // Inside a resolver, UNAUTHENTICATED stays a GraphQL error in a 200 answer.
  const anonymous = await ask(sys.gateway.url, null, `mutation { issueCoupon(input: { code: "NOPE1", percentOff: 5 }) { code } }`);
  assert.equal(anonymous.status, 200);
  assert.equal(anonymous.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
});

test('signUp hands out a token that lives JWT_TTL and is then refused with 401', async () => {
  const bob = await signUp(sys, 'Bob');
  const claims = JSON.parse(Buffer.from(bob.token.split('.')[1]!, 'base64url').toString('utf8'));
  assert.ok(claims.exp - claims.iat <= 2 && claims.exp > claims.iat, JSON.stringify(claims));
  assert.equal((await ask(sys.gateway.url, `Bearer ${bob.token}`)).body.data.me.id, bob.id);
  await new Promise((r) => setTimeout(r, claims.exp * 1000 - Date.now() + 100));
  const expired = await ask(sys.gateway.url, `Bearer ${bob.token}`);
  assert.equal(expired.status, 401, JSON.stringify(expired.body));
  assert.equal(expired.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
});
