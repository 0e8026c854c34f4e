import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taxByRate, taxOf, rateFor, type TaxRate } from './tax.js';
import { taxableOf, totalsOf, NO_TAX } from './totals.js';

const line = (quantity: number, unitPrice: number, requiresShipping = true) => ({ quantity, unitPrice, requiresShipping });
const tenPercent: TaxRate = { country: 'US', region: null, rate: 1000, appliesToShipping: true };

test('the issue’s example: 10 % on 1999 + 500 shipping is 250 tax; included in the same prices, 227', () => {
  const taxable = taxableOf([line(1, 1999)], 0, { price: 500, freeOver: null });
  const onTop = totalsOf(taxable, taxByRate(taxable, tenPercent, false), false, 0);
  assert.deepEqual(onTop, { subtotal: 1999, discount: 0, shipping: 500, tax: 250, taxIncluded: false, storeCreditApplied: 0, amountDue: 2749 });
  const included = totalsOf(taxable, taxByRate(taxable, tenPercent, true), true, 0);
  assert.deepEqual(included, { subtotal: 1999, discount: 0, shipping: 500, tax: 182 + 45, taxIncluded: true, storeCreditApplied: 0, amountDue: 2499 });
});

test('tax is on the discounted lines, half up per line; the discount shares add up exactly', () => {
  const taxable = taxableOf([line(1, 1000), line(3, 333), line(1, 1)], 101, null);
  assert.equal(taxable.subtotal, 2000);
  assert.equal(
    taxable.lineAmounts.reduce((a, b) => a + b, 0),
    2000 - 101,
  );
  assert.deepEqual(taxable.lineAmounts, [949, 949, 1], 'shares in proportion, the cent left over to the largest line');
  assert.equal(taxOf(5, 1000, false), 1, '0.5 rounds up');
  assert.equal(taxOf(4, 1000, false), 0);
});

test('shipping: free over its threshold on the discounted goods, and 0 when nothing ships', () => {
  const standard = { price: 500, freeOver: 5000 };
  assert.equal(taxableOf([line(1, 5000)], 0, standard).shipping, 0);
  assert.equal(taxableOf([line(1, 5000)], 1, standard).shipping, 500, 'the discount takes it under the threshold');
  assert.equal(taxableOf([line(1, 100, false)], 0, standard).shipping, 0);
  assert.equal(taxableOf([line(1, 100, false), line(1, 100)], 0, standard).shipping, 500);
});

test('store credit pays last, after tax, never past the total', () => {
  const taxable = taxableOf([line(2, 1000)], 200, { price: 500, freeOver: null });
  const t = totalsOf(taxable, taxByRate(taxable, tenPercent, false), false, 10_000);
  assert.deepEqual(t, { subtotal: 2000, discount: 200, shipping: 500, tax: 230, taxIncluded: false, storeCreditApplied: 2530, amountDue: 0 });
  assert.equal(totalsOf(taxable, NO_TAX(taxable), false, 300).amountDue, 2000 - 200 + 500 - 300);
});

test('credit never leaves an amount due between 0 and the minimum charge: the whole total, or up to total − minimum', () => {
  const taxable = taxableOf([line(1, 1000)], 0, null);
  const at = (credit: number) => totalsOf(taxable, NO_TAX(taxable), false, credit, 50);
  assert.deepEqual([at(970).storeCreditApplied, at(970).amountDue], [950, 50], '30 left would be uncollectable: 50 stays due');
  assert.deepEqual([at(1000).storeCreditApplied, at(1000).amountDue], [1000, 0]);
  assert.deepEqual([at(2000).storeCreditApplied, at(2000).amountDue], [1000, 0]);
  assert.deepEqual([at(300).storeCreditApplied, at(300).amountDue], [300, 700]);
  const small = taxableOf([line(1, 30)], 0, null);
  assert.equal(totalsOf(small, NO_TAX(small), false, 20, 50).storeCreditApplied, 0, 'a total under the minimum takes credit only to pay all of it');
});

test('a region’s rate wins over its country’s; no address, no rate', () => {
  const rates: TaxRate[] = [tenPercent, { country: 'US', region: 'CA', rate: 825, appliesToShipping: false }];
  const at = (region: string | null) => ({ name: 'A', line1: 'B', line2: null, city: 'C', postalCode: 'D', region, country: 'US', phone: null });
  assert.equal(rateFor(rates, at('ca'))?.rate, 825);
  assert.equal(rateFor(rates, at('NY'))?.rate, 1000);
  assert.equal(rateFor(rates, null), null);
});
