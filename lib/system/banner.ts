// What `npm start` prints once everything is up: what is really served, where, and with what, so
// an operator sees at a glance the real URLs and bind addresses, which services only listen on
// loopback, whether development secrets or the Stripe emulator are in use, and whether the demo
// customer exists.
import { DEV_ADMIN, PUBLISHED_SECRETS, type Config } from '../platform/config.js';
import { DEMO_CUSTOMER, demoCustomerExists as accountHasDemoCustomer } from '../../subgraphs/account/src/seed.js';
import type { System } from './system.js';

/** The name a browser uses for a bind address: all interfaces are reachable as localhost. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The secrets whose value is one this repository publishes (the development defaults). */
export function developmentSecretsInUse(config: Config): string[] {
  return Object.entries(PUBLISHED_SECRETS)
    .filter(([name, published]) => published.includes(config[name as keyof typeof PUBLISHED_SECRETS] ?? ''))
    .map(([name]) => name);
}

/** Whether the demo customer can sign in: seeded by SEED_DEMO into an empty database, or by `npm run seed`. */
export function demoCustomerExists(system: System): Promise<boolean> {
  return accountHasDemoCustomer(system.subgraphs.account.runtime.db);
}

function payments(config: Config, system: System): string {
  if (config.STRIPE_SECRET_KEY) return `real Stripe (${config.STRIPE_SECRET_KEY.startsWith('sk_live_') ? 'live' : 'test'} mode key)`;
  // Without a key, startSystem always runs the emulator; STRIPE_EMULATOR_URL may point elsewhere.
  return `the Stripe emulator at ${config.STRIPE_EMULATOR_URL ?? `http://127.0.0.1:${system.emulator?.port}`}: no real money`;
}

export function systemBanner(system: System, demoCustomer: boolean): string {
  const { config, gateway, subgraphs, emulator } = system;
  const site = `http://${browsableHost(config.HOST)}:${gateway.port}`;
  const production = config.NODE_ENV === 'production';
  const loopback = [
    ...Object.entries(subgraphs).map(([name, s]) => `${name} 127.0.0.1:${s.port}`),
    ...(emulator ? [`Stripe emulator 127.0.0.1:${emulator.port}`] : []),
  ];
  const devSecrets = developmentSecretsInUse(config);
  const lines = [
    `checkout-supergraph is up (NODE_ENV=${config.NODE_ENV}):`,
    `  ${production ? 'GraphQL' : 'GraphQL + Sandbox'}  ${site}/graphql`,
    `  storefront         ${site}/`,
    `  gateway listens on ${config.HOST}:${gateway.port} (HOST)`,
    `  loopback only      ${loopback.join(', ')}`,
    `  Stripe webhook     http://127.0.0.1:${subgraphs.payment.port}/stripe/webhook (the Stripe CLI forwards to localhost)`,
    `  payments           ${payments(config, system)}`,
    `  /metrics           ${config.METRICS_TOKEN ? 'needs Authorization: Bearer <METRICS_TOKEN>' : 'open to anyone who reaches a port (METRICS_TOKEN unset)'}`,
    `  secrets            ${devSecrets.length ? `development values in use: ${devSecrets.join(', ')} (for this machine only; production refuses them)` : 'all your own'}`,
  ];
  if (config.ADMIN_PASSWORD === DEV_ADMIN.password) lines.push(`  admin (development default)  ${config.ADMIN_EMAIL} / ${DEV_ADMIN.password}`);
  lines.push(
    demoCustomer
      ? `  demo customer      ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`
      : '  demo customer      none (SEED_DEMO is off or the database was not empty)',
  );
  return lines.join('\n');
}

/** One service run alone: where it listens. */
export function serviceBanner(name: string, config: Config, port: number): string {
  return `${name} listens on ${config.HOST}:${port} (http://${browsableHost(config.HOST)}:${port}), NODE_ENV=${config.NODE_ENV}`;
}
