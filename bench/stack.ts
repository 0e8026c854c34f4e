// The system under test: account, inventory, order, payment, the Stripe emulator and the gateway,
// each `node --import tsx bin/start.ts <service>` on MariaDB + RabbitMQ with free loopback ports.
import { join } from 'node:path';
import { SERVICES, type ServiceName } from '../lib/platform/config.js';
import { freePort, httpOk, spawnChild, waitReady, type Child } from './processes.js';
import { freshProductionSecrets } from '../lib/testkit/config.js';

export type StackPart = ServiceName | 'gateway' | 'stripe-emulator';

export interface StackOptions {
  databaseUrl: string;
  amqpUrl: string;
  /** Unique per run, so runs never share databases or queues. */
  prefix: string;
  logDir: string;
  /** Services to run with the inspector on a loopback port (CPU profiles, heap after GC; see inspector.ts). */
  inspect?: StackPart[];
  /** Run the compiled build (dist/, from `npm run build`) with plain node, as in production. */
  compiled?: boolean;
}

export interface Stack {
  prefix: string;
  env: Record<string, string>;
  webhookSecret: string;
  url: Record<StackPart, string>;
  child: Record<StackPart, Child>;
  /** Inspector ports of the services started with `inspect`. */
  inspectPort: Partial<Record<StackPart, number>>;
  /** Replaces one service by a fresh process on the same port, with some settings changed. */
  restart(part: StackPart, overrides?: Record<string, string>): Promise<Child>;
  stop(): Promise<void>;
}

/**
 * Settings for one part only. The emulator logs at info: its 'queued webhook' and 'webhook
 * delivered' lines time the webhooks it sends (bench/emulator-log.ts); it stands in for Stripe,
 * so its logging cost is not ours.
 */
const PART_ENV: Partial<Record<StackPart, Record<string, string>>> = { 'stripe-emulator': { LOG_LEVEL: 'info' } };

export async function startStack(options: StackOptions): Promise<Stack> {
  const ports = Object.fromEntries(await Promise.all(['gateway', ...SERVICES, 'stripe-emulator'].map(async (p) => [p, await freePort()]))) as Record<
    StackPart,
    number
  >;
  const url = Object.fromEntries(Object.entries(ports).map(([p, port]) => [p, `http://127.0.0.1:${port}`])) as Record<StackPart, string>;
  const secrets = freshProductionSecrets('bench-admin@example.com');
  const webhookSecret = secrets.STRIPE_WEBHOOK_SECRET!;
  // Production mode, as deployed (graphql-js skips its development-only checks there), with real
  // secrets; STRIPE_EMULATOR_URL is the explicit opt-in to the emulator that production requires.
  const env: Record<string, string> = {
    ...secrets,
    DATABASE_URL: options.databaseUrl,
    AMQP_URL: options.amqpUrl,
    DB_PREFIX: options.prefix,
    BROKER_PREFIX: options.prefix,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    // Small, so a checkout reaches FINISHED quickly and the pipeline drains between workloads.
    FULFILMENT_DELAY_MS: '100',
    // The workloads place many unpaid orders per customer; the hoarding limit is not what is measured.
    MAX_OPEN_ORDERS: '1000',
    // Every bench customer signs up from this one machine's address; sign-up throttling is not measured either.
    SIGN_UPS_PER_ADDRESS: '100000',
    HOST: '127.0.0.1',
    GATEWAY_PORT: String(ports.gateway),
    ACCOUNT_PORT: String(ports.account),
    INVENTORY_PORT: String(ports.inventory),
    ORDER_PORT: String(ports.order),
    PAYMENT_PORT: String(ports.payment),
    STRIPE_EMULATOR_PORT: String(ports['stripe-emulator']),
    STRIPE_EMULATOR_URL: url['stripe-emulator'],
    // Explicit 127.0.0.1: `localhost` may resolve to ::1, where nothing listens.
    ACCOUNT_URL: url.account,
    INVENTORY_URL: url.inventory,
    ORDER_URL: url.order,
    PAYMENT_URL: url.payment,
    STRIPE_WEBHOOK_URL: `${url.payment}/stripe/webhook`,
    STOREFRONT_URL: url.gateway,
  };
  const child = {} as Record<StackPart, Child>;
  const inspectPort: Partial<Record<StackPart, number>> = {};
  for (const part of options.inspect ?? []) inspectPort[part] = await freePort();
  let generation = 0;
  const launch = async (part: StackPart, overrides: Record<string, string> = {}) => {
    const c = spawnChild(generation ? `${part}-${generation}` : part, {
      args: [options.compiled ? 'dist/bin/start.js' : 'bin/start.ts', part],
      plain: options.compiled,
      env: { ...env, ...(PART_ENV[part] ?? {}), ...overrides },
      logDir: options.logDir,
      nodeFlags: inspectPort[part] ? [`--inspect=127.0.0.1:${inspectPort[part]}`] : [],
    });
    child[part] = c;
    await waitReady(c, httpOk(part === 'stripe-emulator' ? `${url[part]}/health` : `${url[part]}/health/live`));
    return c;
  };
  const stop = async () => {
    // Gateway first (its clients), then the subgraphs, the emulator last (payment calls it).
    await child.gateway?.stop();
    await Promise.all(SERVICES.map((s) => child[s]?.stop()));
    await child['stripe-emulator']?.stop();
  };
  try {
    // Every service migrates its own database, so they can all start at once.
    await Promise.all((['stripe-emulator', ...SERVICES, 'gateway'] as StackPart[]).map((p) => launch(p)));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    prefix: options.prefix,
    env,
    webhookSecret,
    url,
    child,
    inspectPort,
    async restart(part, overrides) {
      await child[part].stop();
      generation++;
      return launch(part, overrides);
    },
    stop,
  };
}

export const logDirFor = (resultsDir: string, prefix: string) => join(resultsDir, 'logs', prefix);
