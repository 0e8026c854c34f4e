// The emulator started from the settings, as `npm start` and `npm start -- stripe-emulator` start it:
// unset, STRIPE_WEBHOOK_URL is the payment subgraph's route on this machine, and events are signed
// with the development secret the payment subgraph verifies with.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DEV_WEBHOOK_SECRET, loadConfig } from '../../../lib/platform/config.js';
import { startStripeEmulatorService } from '../src/service.js';
import { client, eventFor, params, startReceiver, waitFor } from './support.js';

test('from the default settings, events reach 127.0.0.1:<PAYMENT_PORT>/stripe/webhook signed with the development secret', async () => {
  const payment = await startReceiver(0, DEV_WEBHOOK_SECRET);
  after(() => payment.close());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', STRIPE_EMULATOR_PORT: '0', PAYMENT_PORT: String(payment.port) });
  const emulator = await startStripeEmulatorService(config);
  after(() => emulator.stop());

  assert.equal(emulator.url, `http://127.0.0.1:${emulator.port}`);
  const session = await client(emulator).checkout.sessions.create(params());
  await emulator.pay(session.id);
  await waitFor('the signed event at the default webhook URL', eventFor(payment, 'checkout.session.completed', session.id));
});
