// Live order status through the gateway over each client transport: graphql-ws, graphql-sse
// (text/event-stream) and multipart HTTP (Apollo Client's HttpLink), each following an order with
// federated fields from WAITING_FOR_PAYMENT to FINISHED, each refusing someone else's order with
// NOT_FOUND; and the per-client limit on HTTP streams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { System } from '../../lib/system/system.js';
import { waitFor } from '../../lib/testkit/graphql.js';
import { lifeFrom, pushedStatuses, subscribeOver, within, type Transport } from '../../lib/testkit/live.js';
import { createDigitalProduct, logInAdmin, signUp } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';

const sys: System = await testSystem();
const admin = await logInAdmin(sys);
const FOLLOW = `subscription Follow($id: ID!) {
  orderStatusChanged(orderId: $id) { id status amountDue { amount currency } payment { status } customer { id loyaltyPoints } }
}`;

for (const transport of ['graphql-ws', 'graphql-sse', 'multipart'] as Transport[]) {
  test(`${transport}: a customer follows an order with federated fields to FINISHED; someone else gets NOT_FOUND`, async (t) => {
    const ann = await signUp(sys, 'Ann');
    const bob = await signUp(sys, 'Bob');
    const product = await createDigitalProduct(admin, 10, 1500);
    const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
    const follow = (token: string) => {
      const rec = subscribeOver(transport, { url: sys.gateway.url, token, query: FOLLOW, variables: { id: placed.id } });
      t.after(rec.stop);
      return rec;
    };

    const notYours = follow(bob.token);
    assert.equal(await within(notYours.ended, 10_000, 'refusal'), 'error');
    assert.equal(notYours.error[0].extensions.code, 'NOT_FOUND');
    assert.deepEqual(notYours.results, []);

    const rec = follow(ann.token);
    await waitFor(() => pushedStatuses(rec.results).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT pushed');
    await ann.pay(placed.id);
    assert.equal(await within(rec.ended, 20_000, 'completion'), 'complete');
    const seen = pushedStatuses(rec.results);
    assert.deepEqual(seen, lifeFrom(seen[0]));
    const byStatus = Object.fromEntries(rec.results.map((r) => [r.data.orderStatusChanged.status, r.data.orderStatusChanged]));
    assert.equal(byStatus.WAITING_FOR_PAYMENT.payment.status, 'OPEN');
    assert.equal(byStatus.FINISHED.payment.status, 'SUCCEEDED');
    assert.equal(typeof byStatus.FINISHED.customer.loyaltyPoints, 'number');
    assert.equal(byStatus.FINISHED.amountDue.currency, 'USD');
  });
}

test('HTTP streams count against the same per-client limit as a socket: the 21st is refused', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const recs = Array.from({ length: 21 }, () => {
    const rec = subscribeOver('graphql-sse', { url: sys.gateway.url, token: ann.token, query: FOLLOW, variables: { id: placed.id } });
    t.after(rec.stop);
    return rec;
  });
  await waitFor(() => recs.filter((r) => r.results.length > 0 || r.error).length === 21, 'every subscription answered');
  const refused = recs.filter((r) => r.error);
  assert.equal(refused.length, 1);
  assert.match(refused[0]!.error[0].message, /At most 20/);
});

test('a plain POST of a subscription is refused with 400, and a too large stream request with 413', async () => {
  const post = await fetch(`${sys.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'subscription { orderStatusChanged(orderId: "1") { id } }' }),
  });
  assert.equal(post.status, 400);
  const big = await fetch(`${sys.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: `# ${'x'.repeat(70 * 1024)}\nsubscription { orderStatusChanged(orderId: "1") { id } }` }),
  });
  assert.equal(big.status, 413);
});
