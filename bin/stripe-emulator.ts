// Runs the local Stripe emulator on its own (api.stripe.com is unreachable in development).
// Env: STRIPE_EMULATOR_PORT (12111), HOST (127.0.0.1), STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET,
// STRIPE_EMULATOR_PUBLIC_URL (base of session.url, for when browsers reach it via another name), LOG_LEVEL.
import { createLogger } from '../lib/platform/observability/logger.js';
import { startStripeEmulator } from '../subgraphs/payment/src/stripe/emulator/server.js';

const log = createLogger('stripe-emulator', process.env.LOG_LEVEL ?? 'info');

const rawPort = process.env.STRIPE_EMULATOR_PORT ?? '12111';
const port = Number(rawPort);
if (!/^\d+$/.test(rawPort) || port > 65535) {
  console.error(`STRIPE_EMULATOR_PORT: expected a port number, got '${rawPort}'`);
  process.exit(1);
}

const emulator = await startStripeEmulator({
  port,
  host: process.env.HOST || '127.0.0.1',
  webhookUrl: process.env.STRIPE_WEBHOOK_URL || 'http://localhost:4004/stripe/webhook',
  // Same development default as lib/platform/config.ts, so the payment subgraph verifies our signatures out of the box.
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || 'whsec_dev_only_checkout_supergraph',
  ...(process.env.STRIPE_EMULATOR_PUBLIC_URL ? { publicUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL } : {}),
  log,
});

console.log(`Stripe emulator listening on ${emulator.url}`);
log.info({ url: emulator.url, webhookUrl: process.env.STRIPE_WEBHOOK_URL || 'http://localhost:4004/stripe/webhook' }, 'stripe emulator started');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stripe emulator: error while stopping');
        process.exit(1);
      },
    );
  });
}
