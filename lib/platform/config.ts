// Every setting comes from the environment, validated once at start-up with zod.
// A bad value stops the process with one line naming the setting.
import { z } from 'zod';
import { formatDuration, inboxRetentionFloorMs, REDELIVERY_MARGIN_MS, retryScheduleMs } from './messaging/redelivery.js';

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789';
const DEV_SERVICE_TOKEN = 'dev-only-service-token';
export const DEV_WEBHOOK_SECRET = 'whsec_dev_only_checkout_supergraph';
export const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password' };
const DEV_METRICS_TOKEN = 'dev-only-metrics-token';

/**
 * Every secret value this repository publishes (the development defaults and the examples in
 * docker-compose.yml): production refuses each of them, even when set explicitly.
 */
export const PUBLISHED_SECRETS: Record<'JWT_SECRET' | 'SERVICE_TOKEN' | 'ADMIN_PASSWORD' | 'STRIPE_WEBHOOK_SECRET' | 'METRICS_TOKEN', string[]> = {
  JWT_SECRET: [DEV_JWT_SECRET, 'example-jwt-secret-change-me-0123456789abcdef'],
  SERVICE_TOKEN: [DEV_SERVICE_TOKEN, 'example-service-token-change-me'],
  ADMIN_PASSWORD: [DEV_ADMIN.password, 'example-admin-password', 'demo-password'],
  STRIPE_WEBHOOK_SECRET: [DEV_WEBHOOK_SECRET, 'whsec_example_change_me'],
  METRICS_TOKEN: [DEV_METRICS_TOKEN, 'example-metrics-token-change-me'],
};

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/** Durations accept plain milliseconds or a unit: 500ms, 30s, 15m, 1h, 30d. */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const m = /^(\d+)(ms|s|m|h|d)?$/.exec(v.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 500ms, 30s, 15m' });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
      return Number(m[1]) * unit;
    });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\//, 'expected mysql://user:pass@host:port')
    .optional(),
  DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'lower-case letters, digits and _ only')
    .default('checkout'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default('.data'),
  AMQP_URL: z
    .string()
    .regex(/^amqps?:\/\//, 'expected amqp://user:pass@host:port')
    .optional(),
  BROKER_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,40}$/)
    .default('checkout'),
  MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  RETRY_BASE_DELAY: duration('500ms'),
  /** Sent outbox rows older than this are purged (unsent ones never are). */
  OUTBOX_RETENTION: duration('7d').refine((ms) => ms > 0, 'must be longer than 0'),
  /** Inbox rows older than this are purged; never shorter than a message can be redelivered (loadConfig checks). */
  INBOX_RETENTION: duration('7d'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Lifetime of the customer tokens logIn and signUp hand out. */
  JWT_TTL: duration('1h'),
  /** Sign-in throttling (account subgraph): the window every count below is kept for. */
  SIGN_IN_WINDOW: duration('15m'),
  /** Failed logIns for one email within SIGN_IN_WINDOW before logIn refuses it (RATE_LIMITED). */
  LOGIN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Failed logIns from one client address within SIGN_IN_WINDOW before logIn refuses it. */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  /** signUp attempts from one client address within SIGN_IN_WINDOW. */
  SIGN_UPS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(10),
  SERVICE_TOKEN: z.string().min(16).optional(),
  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; production requires it. */
  METRICS_TOKEN: z.string().min(16).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  /** Defaults to true, and to false with NODE_ENV=production. */
  SEED_DEMO: bool.optional(),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).max(1000).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /**
   * Values a query may resolve, lists counted by `first` or 20 (lib/platform/http/query-limits.ts). The app's own
   * queries cost at most ~4,800 (every order field of every order); a cycle nested 6 deep, 16,841.
   */
  MAX_QUERY_COST: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  /** Lifetime of the order token a checkout hands a guest (reads that order and follows its status). */
  ORDER_TOKEN_TTL: duration('30d'),
  /** Carts not changed for this long are deleted. */
  CART_TTL: duration('30d'),
  /** Orders a customer (a guest: an email) may have in PENDING or WAITING_FOR_PAYMENT at once. */
  MAX_OPEN_ORDERS: z.coerce.number().int().min(1).max(1000).default(3),
  /** Prices already include tax: totals show the included part instead of adding it. */
  STORE_PRICES_INCLUDE_TAX: bool.default(false),
  STORE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
    .default('USD'),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_EMULATOR_PORT: port(12111),
  /** Where the payment subgraph reaches the emulator when it runs elsewhere (another container). */
  STRIPE_EMULATOR_URL: z.url().optional(),
  STRIPE_WEBHOOK_URL: z.url().optional(),
  /** Lets the emulator accept Checkout Session expiries under Stripe's 30-minute minimum (tests use short payment windows). */
  STRIPE_EMULATOR_ALLOW_SHORT_EXPIRY: bool.default(false),
  STOREFRONT_URL: z.url().default('http://localhost:4000'),
  HOLD_TTL: duration('15m'),
  PAYMENT_WINDOW: duration('30m'),
  PAYMENT_GRACE: duration('5m'),
  /** How long an order waits for a delayed payment (bank debit) that completed checkout unpaid. */
  ASYNC_PAYMENT_WINDOW: duration('14d'),
  /** How long a Stripe event for one of our orders whose Payment isn't recorded yet is answered non-2xx (retried); after that it is logged as foreign. */
  PAYMENT_EVENT_GRACE: duration('10m'),
  FULFILMENT_DELAY_MS: z.coerce.number().int().min(0).default(3000),
  /** Outbound webhooks: the first retry's delay (doubling after each failure), and how long a delivery is retried. */
  WEBHOOK_RETRY_BASE_DELAY: duration('30s'),
  WEBHOOK_RETRY_WINDOW: duration('3d'),
  /** Let createWebhookEndpoint take loopback and private-range URLs with NODE_ENV=production. */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** auto: the fulfilment worker ships paid orders after FULFILMENT_DELAY_MS; manual: only markShipped does. */
  FULFILMENT_MODE: z.enum(['auto', 'manual']).default('auto'),
  SWEEP_INTERVAL: duration('30s'),
  HOST: z.string().default('0.0.0.0'),
  /** Load balancers in front of the gateway whose X-Forwarded-For entry is believed (client address for throttling). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  GATEWAY_PORT: port(4000),
  ACCOUNT_PORT: port(4001),
  INVENTORY_PORT: port(4002),
  ORDER_PORT: port(4003),
  PAYMENT_PORT: port(4004),
  ACCOUNT_URL: z.url().optional(),
  INVENTORY_URL: z.url().optional(),
  ORDER_URL: z.url().optional(),
  PAYMENT_URL: z.url().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The standard OpenTelemetry switch: no spans at all (and no trace ids in responses). */
  OTEL_SDK_DISABLED: bool.default(false),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

type Raw = z.infer<typeof schema>;

export interface Config extends Omit<Raw, 'JWT_SECRET' | 'SERVICE_TOKEN' | 'ADMIN_EMAIL' | 'ADMIN_PASSWORD' | 'STRIPE_WEBHOOK_SECRET' | 'SEED_DEMO'> {
  JWT_SECRET: string;
  SEED_DEMO: boolean;
  SERVICE_TOKEN: string;
  ADMIN_EMAIL: string;
  ADMIN_PASSWORD: string;
  STRIPE_WEBHOOK_SECRET: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const raw = parsed.data;
  // A redelivery that finds its inbox row purged is applied twice (messaging/redelivery.ts).
  const inboxFloor = inboxRetentionFloorMs(raw.MAX_ATTEMPTS, raw.RETRY_BASE_DELAY);
  if (raw.INBOX_RETENTION < inboxFloor) {
    throw new ConfigError(
      `Invalid setting INBOX_RETENTION: must be at least ${formatDuration(Math.ceil(inboxFloor / 60_000) * 60_000)}, the longest a message can still be redelivered ` +
        `(the retry schedule of MAX_ATTEMPTS and RETRY_BASE_DELAY, ${formatDuration(retryScheduleMs(raw.MAX_ATTEMPTS, raw.RETRY_BASE_DELAY))}, plus ${formatDuration(REDELIVERY_MARGIN_MS)}); ` +
        'a redelivered event whose inbox row is gone would be applied twice',
    );
  }
  if (raw.NODE_ENV === 'production') {
    // Without real Stripe settings anyone could sign a webhook with the published development secret.
    for (const name of ['JWT_SECRET', 'SERVICE_TOKEN', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'STRIPE_WEBHOOK_SECRET', 'METRICS_TOKEN'] as const) {
      if (!raw[name]) throw new ConfigError(`Invalid setting ${name}: required when NODE_ENV=production`);
    }
    for (const [name, published] of Object.entries(PUBLISHED_SECRETS) as [keyof typeof PUBLISHED_SECRETS, string[]][]) {
      if (published.includes(raw[name]!)) throw new ConfigError(`Invalid setting ${name}: a published development value; set a secret of your own`);
    }
    // The emulator takes no money: production uses it only when STRIPE_EMULATOR_URL says so explicitly.
    if (!raw.STRIPE_SECRET_KEY && !raw.STRIPE_EMULATOR_URL) {
      throw new ConfigError('Invalid setting STRIPE_SECRET_KEY: required when NODE_ENV=production (or set STRIPE_EMULATOR_URL to use the emulator on purpose)');
    }
  }
  return {
    ...raw,
    JWT_SECRET: raw.JWT_SECRET ?? DEV_JWT_SECRET,
    SERVICE_TOKEN: raw.SERVICE_TOKEN ?? DEV_SERVICE_TOKEN,
    ADMIN_EMAIL: raw.ADMIN_EMAIL ?? DEV_ADMIN.email,
    ADMIN_PASSWORD: raw.ADMIN_PASSWORD ?? DEV_ADMIN.password,
    STRIPE_WEBHOOK_SECRET: raw.STRIPE_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET,
    SEED_DEMO: raw.SEED_DEMO ?? raw.NODE_ENV !== 'production',
  };
}

export type ServiceName = 'account' | 'inventory' | 'order' | 'payment';
export const SERVICES: ServiceName[] = ['account', 'inventory', 'order', 'payment'];

export function servicePort(config: Config, name: ServiceName | 'gateway'): number {
  return config[`${name.toUpperCase()}_PORT` as 'GATEWAY_PORT'];
}

/** Where other processes reach a subgraph: its *_URL setting, or localhost on its port. */
export function serviceUrl(config: Config, name: ServiceName): string {
  return config[`${name.toUpperCase()}_URL` as 'ACCOUNT_URL'] ?? `http://localhost:${servicePort(config, name)}`;
}
