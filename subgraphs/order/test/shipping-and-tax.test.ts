// Shipping methods, tax rates and addresses on placeOrder, through the gateway: the totals by the
// one pricing (tax on top or included), free shipping, the rules that refuse a checkout before
// anything stays held, and who may set methods and rates.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { System } from '../../../lib/system/system.js';
import { fails } from '../../../lib/testkit/graphql.js';
import { createDigitalProduct, createProduct, logInAdmin, signUp, stockOf, type Shopper } from '../../../lib/testkit/story.js';
import { testSystem } from '../../../lib/testkit/system.js';

const sys: System = await testSystem();
const included: System = await testSystem({ STORE_PRICES_INCLUDE_TAX: 'true' });
const admin: Shopper = await logInAdmin(sys);

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  id status email subtotal { amount } shipping { amount } tax { amount } taxIncluded amountDue { amount currency } storeCreditApplied { amount }
  shippingMethod { code name price { amount } } shippingAddress { name line1 city postalCode region country } billingAddress { country } } }`;
const CREATE_METHOD = `mutation($input: CreateShippingMethodInput!) { createShippingMethod(input: $input) { code name price { amount currency } } }`;
const SET_RATE = `mutation($input: TaxRateInput!) { setTaxRate(input: $input) { country region rate appliesToShipping } }`;

const address = (country = 'US', extra: Record<string, string | null> = {}) => ({
  name: 'Ann Smith',
  line1: '1 Main St',
  city: 'Springfield',
  postalCode: '12345',
  country,
  ...extra,
});

async function method(by: Shopper, price: number, extra: Record<string, unknown> = {}): Promise<string> {
  const code = `M-${randomBytes(4).toString('hex').toUpperCase()}`;
  await by.query(CREATE_METHOD, { input: { code, name: `Method ${code}`, price, currency: 'USD', ...extra } });
  return code;
}

await admin.query(SET_RATE, { input: { country: 'US', rate: 1000 } });

test('10% on 1999 and 500 shipping: tax 250, amountDue 2749', async () => {
  const shipping = await method(admin, 500, { countries: ['US'], freeOver: 5000 });
  const mug = await createProduct(admin, 10, 1999);
  const ann = await signUp(sys, 'Ann');
  const o = (
    await ann.query(PLACE, {
      input: { items: [{ productId: mug, quantity: 1 }], email: ' Ann@Example.com ', shippingAddress: address(), shippingMethod: shipping.toLowerCase() },
    })
  ).placeOrder;
  assert.equal(o.email, 'ann@example.com');
  assert.deepEqual(
    [o.subtotal.amount, o.shipping.amount, o.tax.amount, o.taxIncluded, o.amountDue.amount, o.storeCreditApplied.amount],
    [1999, 500, 250, false, 2749, 0],
  );
  assert.deepEqual(o.shippingMethod, { code: shipping, name: `Method ${shipping}`, price: { amount: 500 } });
  assert.deepEqual(o.shippingAddress, { name: 'Ann Smith', line1: '1 Main St', city: 'Springfield', postalCode: '12345', region: null, country: 'US' });
  assert.equal(o.billingAddress, null);
  assert.equal((await ann.order(o.id))?.amountDue.amount, 2749, 'read back as placed');
});

test('with STORE_PRICES_INCLUDE_TAX=true the same prices include tax 227 and amountDue is 2499', async () => {
  const boss = await logInAdmin(included);
  await boss.query(SET_RATE, { input: { country: 'US', rate: 1000 } });
  const shipping = await method(boss, 500);
  const mug = await createProduct(boss, 10, 1999);
  const bea = await signUp(included, 'Bea');
  const o = (await bea.query(PLACE, { input: { items: [{ productId: mug, quantity: 1 }], shippingAddress: address(), shippingMethod: shipping } })).placeOrder;
  assert.deepEqual([o.subtotal.amount, o.shipping.amount, o.tax.amount, o.taxIncluded, o.amountDue.amount], [1999, 500, 227, true, 2499]);
  assert.equal(o.email, null, 'no email given: none kept');
});

test('shipping is free once the goods reach freeOver', async () => {
  const shipping = await method(admin, 700, { freeOver: 3000 });
  const mug = await createProduct(admin, 10, 1999);
  const cy = await signUp(sys, 'Cy');
  const o = (await cy.query(PLACE, { input: { items: [{ productId: mug, quantity: 2 }], shippingAddress: address(), shippingMethod: shipping } })).placeOrder;
  assert.deepEqual([o.subtotal.amount, o.shipping.amount, o.tax.amount, o.amountDue.amount], [3998, 0, 400, 4398]);
});

test('the demo data seeds STANDARD and EXPRESS, which anyone may list', async () => {
  const { shippingMethods } = await (await signUp(sys, 'Dee')).query(`{ shippingMethods { code price { amount } } }`);
  const byCode = Object.fromEntries(shippingMethods.map((m: { code: string; price: { amount: number } }) => [m.code, m.price.amount]));
  assert.equal(byCode.STANDARD, 500);
  assert.equal(byCode.EXPRESS, 1500);
});

test('goods that do not ship need no address or method; tax follows the billing address', async () => {
  await admin.query(SET_RATE, { input: { country: 'DE', rate: 1900 } });
  const ebook = await createDigitalProduct(admin, 10, 1000);
  const eli = await signUp(sys, 'Eli');
  const o = (await eli.query(PLACE, { input: { items: [{ productId: ebook, quantity: 1 }], billingAddress: address('de') } })).placeOrder;
  assert.deepEqual([o.shipping.amount, o.tax.amount, o.amountDue.amount, o.shippingMethod], [0, 190, 1190, null]);
  assert.equal(o.billingAddress.country, 'DE');
});

test('missing, unknown or wrong shipping details and bad addresses or emails are BAD_USER_INPUT and hold nothing', async () => {
  const mug = await createProduct(admin, 5, 1999);
  const onlyGermany = await method(admin, 900, { countries: ['DE'] });
  const fay = await signUp(sys, 'Fay');
  const items = [{ productId: mug, quantity: 2 }];
  const refused = async (input: Record<string, unknown>, field: string) => {
    const err = await fails(sys.gateway.url, 'BAD_USER_INPUT', PLACE, { input: { items, ...input } }, fay.token);
    assert.equal(err.extensions?.field, field, err.message);
  };
  await refused({ shippingMethod: 'STANDARD' }, 'shippingAddress');
  await refused({ shippingAddress: address() }, 'shippingMethod');
  await refused({ shippingAddress: address(), shippingMethod: 'NO-SUCH-METHOD' }, 'shippingMethod');
  await refused({ shippingAddress: address(), shippingMethod: onlyGermany }, 'shippingMethod');
  await refused({ shippingAddress: address('XX'), shippingMethod: 'STANDARD' }, 'shippingAddress.country');
  await refused({ shippingAddress: address('US', { line1: '  ' }), shippingMethod: 'STANDARD' }, 'shippingAddress.line1');
  await refused({ shippingAddress: address('US', { city: 'x'.repeat(10_000) }), shippingMethod: 'STANDARD' }, 'shippingAddress.city');
  await refused({ shippingAddress: address(), billingAddress: address('US', { postalCode: '' }), shippingMethod: 'STANDARD' }, 'billingAddress.postalCode');
  await refused({ shippingAddress: address(), shippingMethod: 'STANDARD', email: 'not-an-email' }, 'email');
  assert.deepEqual(await stockOf(sys, mug), { stockOnHand: 5, available: 5 });
  assert.deepEqual((await fay.query(`{ me { orders { id } } }`)).me.orders, []);
  const ok = (await fay.query(PLACE, { input: { items, shippingAddress: address('DE'), shippingMethod: onlyGermany } })).placeOrder;
  assert.equal(ok.shipping.amount, 900, 'the same method is fine for its country');
});

test('the same idempotency key with another address or method is a CONFLICT', async () => {
  const mug = await createProduct(admin, 10, 1999);
  const gus = await signUp(sys, 'Gus');
  const input = { items: [{ productId: mug, quantity: 1 }], shippingAddress: address(), shippingMethod: 'STANDARD', idempotencyKey: 'ship-1' };
  const first = (await gus.query(PLACE, { input })).placeOrder;
  assert.equal((await gus.query(PLACE, { input })).placeOrder.id, first.id);
  await fails(sys.gateway.url, 'CONFLICT', PLACE, { input: { ...input, shippingMethod: 'EXPRESS' } }, gus.token);
  await fails(sys.gateway.url, 'CONFLICT', PLACE, { input: { ...input, shippingAddress: address('CA') } }, gus.token);
});

test('only admins create methods and set or read rates', async () => {
  const hal = await signUp(sys, 'Hal');
  const url = sys.gateway.url;
  await fails(url, 'FORBIDDEN', CREATE_METHOD, { input: { code: 'CHEAP', name: 'Cheap', price: 1, currency: 'USD' } }, hal.token);
  await fails(url, 'FORBIDDEN', SET_RATE, { input: { country: 'US', rate: 0 } }, hal.token);
  await fails(url, 'FORBIDDEN', `{ taxRates { country } }`, {}, hal.token);
  await fails(url, 'UNAUTHENTICATED', SET_RATE, { input: { country: 'US', rate: 0 } });
  await fails(url, 'CONFLICT', CREATE_METHOD, { input: { code: 'standard', name: 'Again', price: 1, currency: 'USD' } }, admin.token);
  await fails(url, 'BAD_USER_INPUT', CREATE_METHOD, { input: { code: 'EUR-ONLY', name: 'Euro', price: 1, currency: 'EUR' } }, admin.token);
  await fails(url, 'BAD_USER_INPUT', SET_RATE, { input: { country: 'ZZ', rate: 100 } }, admin.token);
  const { taxRates } = await admin.query(`{ taxRates { country region rate appliesToShipping } }`);
  assert.deepEqual(
    taxRates.find((r: { country: string }) => r.country === 'US'),
    { country: 'US', region: null, rate: 1000, appliesToShipping: true },
  );
});

test("a region's rate wins over its country's, and a rate may spare shipping", async () => {
  await admin.query(SET_RATE, { input: { country: 'CA', rate: 500 } });
  const qc = await admin.query(SET_RATE, { input: { country: 'ca', region: 'qc', rate: 1000, appliesToShipping: false } });
  assert.deepEqual(qc.setTaxRate, { country: 'CA', region: 'QC', rate: 1000, appliesToShipping: false });
  const mug = await createProduct(admin, 10, 1999);
  const ida = await signUp(sys, 'Ida');
  const place = async (region: string | null) =>
    (await ida.query(PLACE, { input: { items: [{ productId: mug, quantity: 1 }], shippingAddress: address('CA', { region }), shippingMethod: 'STANDARD' } }))
      .placeOrder;
  const quebec = await place('Qc');
  assert.deepEqual([quebec.shipping.amount, quebec.tax.amount, quebec.amountDue.amount], [500, 200, 2699], '10% of the goods only');
  const ontario = await place('ON');
  assert.deepEqual([ontario.tax.amount, ontario.amountDue.amount], [125, 2624], "the country's 5% on goods and shipping");
});
