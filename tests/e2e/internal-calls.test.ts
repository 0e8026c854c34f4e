// The try step's internal endpoints on running subgraphs: a captured signed call works once, as
// signed, and is refused (401, nothing held) when replayed after its lifetime, to another path,
// method or service, or with another body; the old static SERVICE_TOKEN bearer is refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../lib/system/system.js';
import { CLOCK_SKEW_TOLERANCE_S, INTERNAL_CALL_LIFETIME_S, internalCallHeaders } from '../../lib/platform/http/internal-call.js';
import { createDigitalProduct, logInAdmin, stockOf, type Shopper } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin: Shopper = await logInAdmin(sys);
const holds = `${sys.subgraphs.inventory.url}/internal/holds`;

/** A hold request for one unit, signed as the order subgraph signs it, by a clock at `signedAt`. */
async function signedHold(productId: string, signedAt?: Date) {
  const body = JSON.stringify({ orderId: randomUUID(), items: [{ productId, quantity: 1 }] });
  const headers = await internalCallHeaders(sys.config.SERVICE_TOKEN, { audience: 'inventory', method: 'POST', url: holds, body }, signedAt);
  return { body, headers };
}

const send = (url: string, method: string, headers: Record<string, string>, body?: string) => fetch(url, { method, headers, body });

test('a signed call is served as signed', async () => {
  const product = await createDigitalProduct(admin, 5);
  const { body, headers } = await signedHold(product);
  assert.equal((await send(holds, 'POST', headers, body)).status, 200);
  assert.equal((await stockOf(sys, product)).available, 4);
});

test('a captured call replayed after its lifetime is refused', async () => {
  const product = await createDigitalProduct(admin, 5);
  // Captured a lifetime (plus the clock skew tolerance) ago: as a replay of it now would be.
  const capturedAt = new Date(Date.now() - (INTERNAL_CALL_LIFETIME_S + CLOCK_SKEW_TOLERANCE_S + 1) * 1000);
  const stale = await signedHold(product, capturedAt);
  assert.equal((await send(holds, 'POST', stale.headers, stale.body)).status, 401);
  // The same call signed a little while ago, within its lifetime, still goes through.
  const recent = await signedHold(product, new Date(Date.now() - (INTERNAL_CALL_LIFETIME_S - 10) * 1000));
  assert.equal((await send(holds, 'POST', recent.headers, recent.body)).status, 200);
  assert.equal((await stockOf(sys, product)).available, 4, 'only the live call held stock');
});

test('a captured call sent to another path, method or service, or with another body, is refused', async () => {
  const product = await createDigitalProduct(admin, 5);
  const { body, headers } = await signedHold(product);
  const orderId = (JSON.parse(body) as { orderId: string }).orderId;
  const refused = async (res: Promise<Response>, what: string) => {
    const r = await res;
    assert.equal(r.status, 401, what);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED', what);
  };
  await refused(send(`${holds}/${orderId}`, 'DELETE', headers), 'another path and method');
  await refused(send(`${holds}?again=1`, 'POST', headers, body), 'another query string');
  await refused(send(`${sys.subgraphs.account.url}/internal/benefits`, 'POST', headers, body), 'another service');
  const more = JSON.stringify({ orderId, items: [{ productId: product, quantity: 5 }] });
  await refused(send(holds, 'POST', headers, more), 'another body');
  assert.equal((await stockOf(sys, product)).available, 5, 'nothing was held');
});

test('the static SERVICE_TOKEN bearer of old is refused', async () => {
  const product = await createDigitalProduct(admin, 5);
  const body = JSON.stringify({ orderId: randomUUID(), items: [{ productId: product, quantity: 5 }] });
  const res = await send(holds, 'POST', { authorization: `Bearer ${sys.config.SERVICE_TOKEN}`, 'content-type': 'application/json' }, body);
  assert.equal(res.status, 401);
  assert.equal((await stockOf(sys, product)).available, 5);
});
