import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkoutLinesOf, MAX_CHECKOUT_LINES } from './checkout-lines.js';

const item = (name: string, quantity: number, unitPrice: number) => ({ productId: name, name, quantity, unitPrice, requiresShipping: true });
const mug = item('Enamel mug', 2, 1250);
const pen = item('Pen', 3, 333);

/** An order as order.created tells it, its amountDue computed the way the order's totals do. */
function order(o: { items: ReturnType<typeof item>[]; discount?: number; shipping?: number; tax?: number; taxIncluded?: boolean; credit?: number }) {
  const { discount = 0, shipping = 0, tax = 0, taxIncluded = false, credit = 0 } = o;
  const subtotal = o.items.reduce((a, i) => a + i.quantity * i.unitPrice, 0);
  const total = subtotal - discount + shipping + (taxIncluded ? 0 : tax);
  return {
    items: o.items,
    discount,
    shipping,
    tax,
    taxIncluded,
    storeCreditApplied: credit,
    amountDue: total - credit,
    shippingMethod: shipping ? { code: 'STANDARD', name: 'Standard' } : null,
  };
}

const total = (lines: { amount: number }[]) => lines.reduce((a, l) => a + l.amount, 0);

test('goods, shipping and tax are separate lines at their full amounts', () => {
  const lines = checkoutLinesOf(order({ items: [mug, pen], shipping: 500, tax: 449 }));
  assert.deepEqual(lines, [
    { name: '2 × Enamel mug', amount: 2500 },
    { name: '3 × Pen', amount: 999 },
    { name: 'Shipping: Standard', amount: 500 },
    { name: 'Tax', amount: 449 },
  ]);
});

test('the lines add up to amountDue exactly, none negative or zero, whatever the mix', () => {
  const cases = [
    { items: [mug, pen], discount: 350 },
    { items: [mug, pen], discount: 350, credit: 1000 },
    { items: [mug, pen], discount: 351, shipping: 500, tax: 317, credit: 777 },
    { items: [mug, pen], discount: 100, shipping: 500, tax: 317, taxIncluded: true, credit: 2 },
    { items: [mug], shipping: 1500, tax: 400, credit: 4000 }, // credit beyond the goods: covers shipping and tax too
    { items: [pen, mug, item('Clip', 7, 1)], discount: 3000, shipping: 500, tax: 1, credit: 1 },
    { items: [mug], discount: 2500, shipping: 500, tax: 50, credit: 549 },
  ];
  for (const c of cases) {
    const o = order(c);
    const lines = checkoutLinesOf(o);
    assert.equal(total(lines), o.amountDue, JSON.stringify(c));
    assert.ok(
      lines.every((l) => Number.isInteger(l.amount) && l.amount > 0),
      JSON.stringify(lines),
    );
  }
});

test('tax included in the prices is no line of its own', () => {
  const lines = checkoutLinesOf(order({ items: [mug], tax: 417, taxIncluded: true }));
  assert.deepEqual(lines, [{ name: '2 × Enamel mug', amount: 2500 }]);
});

test('an order paid entirely by coupon and credit has no lines', () => {
  assert.deepEqual(checkoutLinesOf(order({ items: [mug], discount: 2000, credit: 500 })), []);
});

test('more items than Stripe takes become one line', () => {
  const many = Array.from({ length: MAX_CHECKOUT_LINES }, (_, i) => item(`P${i}`, 1, 100));
  const lines = checkoutLinesOf(order({ items: many, discount: 10, shipping: 500, tax: 1, credit: 3 }));
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.name, '100 items');
  assert.equal(total(lines), 100 * 100 - 10 + 500 + 1 - 3);
});

test('totals that disagree with amountDue are refused, never charged', () => {
  assert.throws(() => checkoutLinesOf({ ...order({ items: [mug], credit: 100 }), amountDue: 2500 }), /disagree/);
});
