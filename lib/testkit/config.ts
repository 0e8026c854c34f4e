// Test settings: the same suite runs on the embedded default and, when DATABASE_URL and AMQP_URL
// are set, on MariaDB + RabbitMQ. Every call gets unique database and broker prefixes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { loadConfig, type Config } from '../platform/config.js';

export const onRabbitMq = !!process.env.AMQP_URL;
export const onMariaDb = !!process.env.DATABASE_URL;

export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const prefix = uniquePrefix();
  return loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    AMQP_URL: process.env.AMQP_URL,
    NODE_ENV: 'test',
    DB_PREFIX: prefix,
    BROKER_PREFIX: prefix,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'checkout-test-')),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'true',
    SWEEP_INTERVAL: '200ms',
    FULFILMENT_DELAY_MS: '100',
    RETRY_BASE_DELAY: '50ms',
    // Every test file signs up many customers from 127.0.0.1; sign-in-throttling.test.ts tests the default.
    SIGN_UPS_PER_ADDRESS: '10000',
    // Tests use payment windows shorter than Stripe's 30-minute minimum session expiry.
    STRIPE_EMULATOR_ALLOW_SHORT_EXPIRY: 'true',
    ...overrides,
  });
}

/**
 * Drops the MariaDB databases named `${DB_PREFIX}_*` that a test or a bench run created (nothing
 * to do on SQLite: temp files). The tests and the bench share this one cleanup.
 */
export async function dropDatabases(config: Pick<Config, 'DATABASE_URL' | 'DB_PREFIX'>): Promise<void> {
  if (!config.DATABASE_URL) return;
  const conn = await mysql.createConnection({ uri: config.DATABASE_URL });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${config.DB_PREFIX}\\_%`]);
    for (const row of rows) await conn.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
  } finally {
    await conn.end();
  }
}

/**
 * The environment for a child process a test starts (npm start, npm run seed): nothing inherited
 * but PATH and HOME, a fresh DATA_DIR and unique prefixes, plus the given settings.
 */
export function childEnv(settings: Record<string, string> = {}): Record<string, string> {
  const prefix = uniquePrefix();
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    LOG_LEVEL: 'warn',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'checkout-child-')),
    DB_PREFIX: prefix,
    BROKER_PREFIX: prefix,
    ...settings,
  };
}

/**
 * Every secret production requires, each a fresh random value: production refuses missing and
 * published ones. For child processes started in production mode (tests, the bench).
 */
export function freshProductionSecrets(adminEmail = 'ops@example.com'): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(24).toString('hex'),
    SERVICE_TOKEN: randomBytes(16).toString('hex'),
    METRICS_TOKEN: randomBytes(16).toString('hex'),
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(12).toString('hex')}`,
  };
}
