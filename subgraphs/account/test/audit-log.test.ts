// The audit log: every admin mutation that commits, in whichever subgraph, reaches account as
// admin.action and is listed newest first with the admin's email; a refused one leaves no entry.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { fails, waitFor } from '../../../lib/testkit/graphql.js';
import { createProduct, logInAdmin, signUp, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem({ FULFILMENT_MODE: 'manual' });
const admin: Shopper = await logInAdmin(sys);
const ann: Shopper = await signUp(sys, 'Ann');

const LOG = `query($first: Int, $after: String) { auditLog(first: $first, after: $after) {
  nodes { id actor action target summary at } pageInfo { hasNextPage endCursor } } }`;

interface Entry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  summary: string | null;
  at: string;
}

async function auditLog(): Promise<Entry[]> {
  const entries: Entry[] = [];
  let after: string | null = null;
  // Small pages: the walk itself checks the cursor.
  for (;;) {
    const page: { nodes: Entry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (await admin.query(LOG, { first: 2, after })).auditLog;
    entries.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return entries;
    after = page.pageInfo.endCursor;
  }
}

test('every admin action of this test is listed, newest first, with the admin’s email', async () => {
  const done: { action: string; target: string }[] = [];
  const product = await createProduct(admin, 10, 1200);
  done.push({ action: 'createProduct', target: product });
  await admin.query(`mutation($id: ID!) { restock(productId: $id, quantity: 5) { id } }`, { id: product });
  done.push({ action: 'restock', target: product });
  const code = `AUDIT${randomBytes(3).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($code: String!) { issueCoupon(input: { code: $code, percentOff: 10 }) { code } }`, { code });
  done.push({ action: 'issueCoupon', target: code });
  await admin.query(`mutation($id: ID!) { grantStoreCredit(customerId: $id, amount: 500, currency: "USD") { id } }`, { id: ann.id });
  done.push({ action: 'grantStoreCredit', target: ann.id });
  const method = `AUD_${randomBytes(3).toString('hex').toUpperCase()}`;
  await admin.query(`mutation($code: String!) { createShippingMethod(input: { code: $code, name: "Audited", price: 700, currency: "USD" }) { code } }`, {
    code: method,
  });
  done.push({ action: 'createShippingMethod', target: method });
  await admin.query(`mutation { setTaxRate(input: { country: "DE", rate: 1900 }) { rate } }`);
  done.push({ action: 'setTaxRate', target: 'DE' });

  const order = await ann.placeOrder({
    items: [{ productId: product, quantity: 1 }],
    email: ann.email,
    shippingAddress: { name: 'Ann', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    shippingMethod: 'STANDARD',
  });
  await ann.pay(order.id);
  await ann.waitForStatus(order.id, 'PAID');
  const mark = `mutation($id: ID!, $t: String!) { markShipped(orderId: $id, carrier: "DHL", trackingNumber: $t) { id } }`;
  await waitFor(async () => !(await admin.raw(mark, { id: order.id, t: `DHL-${order.id.slice(0, 8)}` })).errors, 'the paid order to be shippable');
  done.push({ action: 'markShipped', target: order.id });

  // Refused admin mutations change nothing, so they leave nothing in the log.
  await fails(sys.gateway.url, 'CONFLICT', `mutation($code: String!) { issueCoupon(input: { code: $code, percentOff: 5 }) { code } }`, { code }, admin.token);
  await fails(sys.gateway.url, 'FORBIDDEN', `mutation { setTaxRate(input: { country: "FR", rate: 2000 }) { rate } }`, {}, ann.token);

  const expected = done.reverse();
  const entries = await waitFor(async () => {
    const all = await auditLog();
    return all.length >= expected.length ? all : null;
  }, 'every admin action in the audit log');
  assert.deepEqual(
    entries.map(({ action, target }) => ({ action, target })),
    expected,
  );
  for (const e of entries) assert.equal(e.actor, admin.email);
  const times = entries.map((e) => Date.parse(e.at));
  assert.deepEqual(
    times,
    [...times].sort((x, y) => y - x),
    'newest first',
  );
  assert.equal(new Set(entries.map((e) => e.id)).size, entries.length);
  assert.match(entries.find((e) => e.action === 'grantStoreCredit')!.summary!, /500 USD/);
  assert.match(entries.find((e) => e.action === 'markShipped')!.summary!, /DHL/);
});

test('only admins read the audit log; a bad page is BAD_USER_INPUT', async () => {
  await fails(sys.gateway.url, 'FORBIDDEN', LOG, { first: 5 }, ann.token);
  await fails(sys.gateway.url, 'UNAUTHENTICATED', LOG, { first: 5 });
  await fails(sys.gateway.url, 'BAD_USER_INPUT', LOG, { first: 101 }, admin.token);
  await fails(sys.gateway.url, 'BAD_USER_INPUT', LOG, { first: 5, after: 'nope' }, admin.token);
});
