// The storefront in a real browser (Debian's chromium via playwright-core): sign in as the demo
// customer, fill the cart, give a shipping address and method, check out, pay on the emulator's
// page, come back and watch the order page reach PAID and FINISHED (with its shipment) over
// graphql-ws without any reload.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { System } from '../../lib/system/system.js';
import { testSystem } from '../../lib/testkit/system.js';

// A fulfilment delay long enough that FINISHED surely arrives while the order page is open.
const sys: System = await testSystem({ FULFILMENT_DELAY_MS: '2500' });

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

test('the demo customer checks out, pays, and watches the order finish live', async (t) => {
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => res.status() >= 400 && problems.push(`HTTP ${res.status()} for ${res.url()}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()} at ${msg.location().url}`));

  await page.goto(`${sys.gateway.url}/`);
  await page.getByLabel('Email').fill('demo@example.com');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as demo@example.com').waitFor();

  await page.getByRole('button', { name: 'Add Enamel mug to cart' }).click();
  await page.getByRole('button', { name: 'Add Enamel mug to cart' }).click();
  await page.getByRole('button', { name: 'Add Canvas cap to cart' }).click();
  assert.equal(await page.locator('#cart-total').textContent(), '$47.00'); // 2 × 14.00 + 19.00: under Standard's free-shipping 50.00

  // The physical goods need an address and a shipping method, offered from `shippingMethods`.
  await page.getByLabel('Full name').fill('Dana Demo');
  await page.getByLabel('Address line 1').fill('10 Downing Street');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('SW1A 2AA');
  await page.getByLabel('Country code').fill('ZZ'); // not a country: the shop's refusal is shown
  await page.getByLabel('Phone').fill('+44 20 7946 0000');
  const standard = page.getByRole('radio', { name: /Standard shipping/ });
  await standard.check();
  assert.match((await page.locator('label.choice', { has: standard }).textContent()) ?? '', /Standard shipping\s*\$5\.00/);
  assert.equal(await page.getByRole('radio', { name: /Express shipping/ }).count(), 1);

  await page.getByRole('button', { name: 'Check out' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /country/i })
    .waitFor();
  assert.match(page.url(), /\/$/, 'a refused checkout stays on the shop');
  problems.length = 0; // the refusal's HTTP 4xx, if any, was the point

  await page.getByLabel('Country code').fill('gb'); // sent upper case
  await page.screenshot({ path: '/tmp/storefront-checkout.png', fullPage: true });
  await page.getByRole('button', { name: 'Check out' }).click();
  await page.waitForURL(/\/orders\/[^/]+$/);
  const orderUrl = page.url();

  // The order's totals: items, shipping (Standard, 5.00 under 50.00), tax, amount due.
  const line = (name: string) => page.locator(`[data-line="${name}"] dd`);
  await line('shipping').waitFor();
  assert.equal(await line('subtotal').textContent(), '$47.00');
  assert.equal(await line('shipping').textContent(), '$5.00');
  assert.match((await page.locator('#order-totals [data-line="shipping"] dt').textContent()) ?? '', /Standard shipping/);
  await line('tax').waitFor();
  await line('amount-due').waitFor();
  assert.match((await page.locator('#ship-to-address').textContent()) ?? '', /10 Downing Street.*London, SW1A 2AA.*GB/);

  // The Pay link appears once the payment subgraph has opened a session, pushed live.
  const pay = page.getByRole('link', { name: 'Pay now' });
  await pay.waitFor({ timeout: 15_000 });
  await pay.click();
  await page.getByRole('button', { name: 'Pay' }).click(); // the emulator's hosted page
  await page.waitForURL(orderUrl);

  // From here on nothing may navigate: a reload would drop the marker, any navigation is counted.
  let navigations = 0;
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
  // A string, not a function: tsx's keepNames would inject a `__name` helper the page lacks.
  await page.evaluate(`
    window.arrived = 'still here';
    window.seen = [];
    const status = document.getElementById('order-status');
    window.seen.push(status.dataset.status);
    new MutationObserver(() => window.seen.push(status.dataset.status)).observe(status, { attributes: true, childList: true, subtree: true });
  `);

  await page.locator('#order-status[data-status="FINISHED"]').waitFor({ timeout: 20_000 });
  await page.getByText('Paid and shipped. Thank you!').waitFor();
  const history = await page.locator('#history li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-status')));
  assert.deepEqual(history, ['PENDING', 'WAITING_FOR_PAYMENT', 'PAID', 'FINISHED']);
  assert.equal(await page.getByRole('link', { name: 'Pay now' }).isVisible(), false);
  // The shipment, pushed with FINISHED: carrier, tracking number and the address it went to.
  await line('tracking').waitFor();
  const tracking = (await line('tracking').textContent()) ?? '';
  assert.ok(tracking.trim().length > 3 && tracking !== '—', `a tracking number, got ${JSON.stringify(tracking)}`);
  assert.notEqual(await page.locator('#shipment-details [data-line="carrier"] dd').textContent(), '—');

  const { arrived, seen } = (await page.evaluate('({ arrived: window.arrived, seen: window.seen })')) as { arrived: string; seen: string[] };
  assert.equal(arrived, 'still here', 'the order page reloaded');
  assert.equal(navigations, 0);
  assert.notEqual(seen[0], 'FINISHED', `FINISHED should arrive live, after the page was open (seen ${JSON.stringify(seen)})`);
  assert.ok(seen.includes('FINISHED'));
  assert.equal(page.url(), orderUrl);

  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/storefront-final.png', fullPage: true });
  assert.deepEqual(problems, []);
});
