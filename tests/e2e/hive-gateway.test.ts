// Hive Gateway in front of our four subgraphs, configured by gateway.config.ts: it serves queries
// and mutations, and it routes orderStatusChanged to the order subgraph (which owns it) over SSE
// and resolves the other subgraphs' fields afresh for each event, from WAITING_FOR_PAYMENT to FINISHED
// (the payment's fixed fields come with the push: @provides).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { composeServices } from '@apollo/composition';
import { SERVICES } from '../../lib/platform/config.js';
import { subgraphTypeDefs } from '../../lib/platform/schema.js';
import type { System } from '../../lib/system/system.js';
import { ok, waitFor } from '../../lib/testkit/graphql.js';
import { lifeFrom, pushedStatuses, subscribeOver, within } from '../../lib/testkit/live.js';
import { createDigitalProduct, logInAdmin, signUp } from '../../lib/testkit/story.js';
import { testSystem } from '../../lib/testkit/system.js';
import { gatewayConfig } from '../../gateway.config.js';

const sys: System = await testSystem();
const admin = await logInAdmin(sys);

/** The supergraph pointing at this test's subgraphs, as `npm run compose` would with the *_URL settings. */
const composed = composeServices(SERVICES.map((name) => ({ name, url: `${sys.subgraphs[name].url}/graphql`, typeDefs: subgraphTypeDefs(name) })));
if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors?.map((e) => e.message).join('; ')}`);
// Loaded untyped, for the reason gateway.config.ts gives.
const HIVE_GATEWAY = '@graphql-hive/gateway';
type HiveRuntime = ((req: IncomingMessage, res: ServerResponse) => void) & { dispose(): Promise<void> };
const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as { createGatewayRuntime: (config: object) => HiveRuntime };
const hive = createGatewayRuntime({ ...gatewayConfig, supergraph: composed.supergraphSdl, logging: false });
const server = createServer(hive);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const hiveUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
test.after(async () => {
  await hive.dispose();
  server.closeAllConnections();
  server.close();
});

const FOLLOW = `subscription Follow($id: ID!) {
  orderStatusChanged(orderId: $id) { id status payment { id stripeCheckoutSessionId status } customer { loyaltyPoints } items { product { name } } }
}`;

test('Hive Gateway follows an order with federated fields from WAITING_FOR_PAYMENT to FINISHED', async (t) => {
  const ann = await signUp(sys, 'Ann');
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  // A query through Hive Gateway, authorised by the forwarded token.
  const { order } = await ok(hiveUrl, `query($id: ID!) { order(id: $id) { id status customer { id } } }`, { id: placed.id }, ann.token);
  assert.equal(order.id, placed.id);

  const rec = subscribeOver('graphql-sse', { url: hiveUrl, token: ann.token, query: FOLLOW, variables: { id: placed.id } });
  t.after(rec.stop);
  await waitFor(() => pushedStatuses(rec.results).includes('WAITING_FOR_PAYMENT'), 'WAITING_FOR_PAYMENT through Hive Gateway');
  await ann.pay(placed.id);
  await waitFor(() => pushedStatuses(rec.results).includes('FINISHED'), 'FINISHED through Hive Gateway', 20_000);
  const seen = pushedStatuses(rec.results);
  assert.deepEqual(seen, lifeFrom(seen[0]));
  const byStatus = Object.fromEntries(rec.results.map((r) => [r.data.orderStatusChanged.status, r.data.orderStatusChanged]));
  // Each push carries the payment as it is when the push goes out, not as the first push saw it
  // (gateway.config.ts's freshEntitiesPerSubscriptionEvent: Hive would otherwise answer OPEN on all).
  assert.equal(byStatus.WAITING_FOR_PAYMENT.payment.status, 'OPEN');
  assert.equal(byStatus.PAID.payment.status, 'SUCCEEDED');
  assert.equal(byStatus.FINISHED.payment.status, 'SUCCEEDED');
  // The fixed fields come with the push (the order subgraph provides them), the status by their id.
  const { order: now } = await ok(hiveUrl, `query($id: ID!) { order(id: $id) { payment { id stripeCheckoutSessionId } } }`, { id: placed.id }, ann.token);
  for (const status of ['WAITING_FOR_PAYMENT', 'PAID', 'FINISHED']) {
    assert.deepEqual({ id: byStatus[status].payment.id, stripeCheckoutSessionId: byStatus[status].payment.stripeCheckoutSessionId }, now.payment);
  }
  // The customer's points, from the account subgraph, as of each push: earned once paid.
  assert.equal(byStatus.WAITING_FOR_PAYMENT.customer.loyaltyPoints, 0);
  assert.ok(byStatus.FINISHED.customer.loyaltyPoints > 0);
  assert.match(byStatus.FINISHED.items[0].product.name, /^Product T-/);
  assert.equal(await within(rec.ended, 10_000, 'completion'), 'complete');
});

test("Hive Gateway: another customer's order is NOT_FOUND", async (t) => {
  const ann = await signUp(sys, 'Ann');
  const bob = await signUp(sys, 'Bob');
  const product = await createDigitalProduct(admin, 10, 1500);
  const placed = await ann.placeOrder({ items: [{ productId: product, quantity: 1 }] });
  const rec = subscribeOver('graphql-sse', { url: hiveUrl, token: bob.token, query: FOLLOW, variables: { id: placed.id } });
  t.after(rec.stop);
  await within(rec.ended, 10_000, 'refusal');
  assert.deepEqual(rec.results, []);
  assert.equal(rec.error[0].extensions.code, 'NOT_FOUND');
});
