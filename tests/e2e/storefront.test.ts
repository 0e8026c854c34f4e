// The storefront in a real browser (Debian's chromium via playwright-core): sign in as the demo
// customer, fill the cart, check out, pay on the emulator's page, come back and watch the order
// page reach PAID and FINISHED over graphql-ws without any reload.
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
  await page.getByRole('button', { name: 'Add Canvas cap to cart' }).click();
  await page.getByRole('button', { name: 'Add Canvas cap to cart' }).click();
  assert.equal(await page.locator('#cart-total').textContent(), '$52.00'); // 14.00 + 2 × 19.00
  await page.getByRole('button', { name: 'Check out' }).click();
  await page.waitForURL(/\/orders\/[^/]+$/);
  const orderUrl = page.url();

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
