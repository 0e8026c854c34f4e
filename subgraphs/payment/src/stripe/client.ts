// The one Stripe client: real Stripe when STRIPE_SECRET_KEY is set, otherwise the same SDK
// pointed at the local emulator. Retries are explicit; every write passes its own idempotency
// key derived from our ids, which (unlike the SDK's automatic one) survives a crash.
import Stripe from 'stripe';
import type { Config } from '../../../../lib/platform/config.js';

export const EMULATOR_KEY = 'sk_test_emulator';

export function createStripe(config: Config): Stripe {
  if (config.STRIPE_SECRET_KEY) return new Stripe(config.STRIPE_SECRET_KEY, { maxNetworkRetries: 3, timeout: 20_000 });
  const emulator = new URL(config.STRIPE_EMULATOR_URL ?? `http://127.0.0.1:${config.STRIPE_EMULATOR_PORT}`);
  return new Stripe(EMULATOR_KEY, {
    host: emulator.hostname,
    port: Number(emulator.port || (emulator.protocol === 'https:' ? 443 : 80)),
    protocol: emulator.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 3,
    timeout: 10_000,
  });
}
