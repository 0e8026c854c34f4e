// The emulator as one service of this system, started from the validated settings: by `npm start`
// (everything in one process, lib/system) and by `npm start -- stripe-emulator` (its own
// container). The environment is read once, by lib/platform/config.ts, never here.
import type { Config } from '../../../lib/platform/config.js';
import { createLogger } from '../../../lib/platform/observability/logger.js';
import { startStripeEmulator, type StripeEmulator } from './server.js';

/** Where events go unless STRIPE_WEBHOOK_URL says otherwise: the payment subgraph's route on this machine. */
export function defaultWebhookUrl(config: Config): string {
  return `http://127.0.0.1:${config.PAYMENT_PORT}/stripe/webhook`;
}

export function startStripeEmulatorService(config: Config): Promise<StripeEmulator> {
  return startStripeEmulator({
    port: config.STRIPE_EMULATOR_PORT,
    host: config.HOST,
    webhookUrl: config.STRIPE_WEBHOOK_URL ?? defaultWebhookUrl(config),
    // Unset, this is config.ts's development secret, the one the payment subgraph verifies with.
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    log: createLogger('stripe-emulator', config.LOG_LEVEL),
    allowShortExpiry: config.STRIPE_EMULATOR_ALLOW_SHORT_EXPIRY,
  });
}
