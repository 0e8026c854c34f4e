// `npm start` refuses to run on bad settings with one clear line, instead of a stack trace or a hang.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { PUBLISHED_SECRETS } from '../../lib/platform/config.js';
import { freePort } from '../../lib/platform/net.js';
import { freshProductionSecrets } from '../../lib/testkit/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** bin/start.ts (as `npx tsx bin/start.ts` runs it, minus npm's own output) with only the given settings, on ephemeral ports. */
function spawnStart(args: string[], settings: Record<string, string>): ChildProcessByStdio<null, Readable, Readable> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'checkout-start-')),
    GATEWAY_PORT: '0',
    ACCOUNT_PORT: '0',
    INVENTORY_PORT: '0',
    ORDER_PORT: '0',
    PAYMENT_PORT: '0',
    STRIPE_EMULATOR_PORT: '0',
    HOST: '127.0.0.1',
    ...settings,
  };
  return spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs bin/start.ts and kills it if it is still running after the timeout. */
function start(args: string[], settings: Record<string, string>, timeoutMs = 30_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawnStart(args, settings);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** It stopped by itself, unsuccessfully, saying exactly one thing on stderr. */
function refused(exit: Exit, expected: RegExp): void {
  const shown = `exit code ${exit.code}, signal ${exit.signal}\n--- stdout\n${exit.stdout}\n--- stderr\n${exit.stderr}`;
  assert.equal(exit.signal, null, `still running after the timeout: it should have refused to start\n${shown}`);
  assert.notEqual(exit.code, 0, `exit code must be non-zero\n${shown}`);
  const lines = exit.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, no stack trace\n${shown}`);
  assert.match(lines[0]!, expected, shown);
}

test('an invalid setting stops start-up with one line naming the setting', async () => {
  refused(await start([], { GATEWAY_PORT: 'abc' }), /^Invalid setting GATEWAY_PORT\b/);
  refused(await start(['gateway'], { HOLD_TTL: 'soon' }), /^Invalid setting HOLD_TTL\b/);
  refused(await start([], { DATABASE_URL: 'postgres://localhost/x' }), /^Invalid setting DATABASE_URL\b/);
});

test('an unreachable database stops start-up with "Cannot reach the database"', async () => {
  const closed = 'mysql://root@127.0.0.1:1';
  refused(await start([], { DATABASE_URL: closed }), /Cannot reach the database at 127\.0\.0\.1:1\b.*DATABASE_URL/);
  refused(await start(['account'], { DATABASE_URL: closed, AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' }), /Cannot reach the database at 127\.0\.0\.1:1\b/);
});

/** Settings production starts with: every secret set to a fresh value, the emulator opted into. */
function productionSettings(): Record<string, string> {
  return { ...freshProductionSecrets(), STRIPE_EMULATOR_URL: 'http://127.0.0.1:12111' };
}

test('NODE_ENV=production refuses to start on development secrets', async () => {
  const { JWT_SECRET: _unset, ...secrets } = productionSettings();
  refused(await start([], secrets), /^Invalid setting JWT_SECRET: required when NODE_ENV=production/);
  refused(await start(['gateway'], secrets), /^Invalid setting JWT_SECRET\b/);
  refused(await start([], { ...secrets, JWT_SECRET: 'too-short' }), /^Invalid setting JWT_SECRET\b/);
  const { METRICS_TOKEN: _none, ...withoutMetricsToken } = productionSettings();
  refused(await start([], withoutMetricsToken), /^Invalid setting METRICS_TOKEN: required when NODE_ENV=production/);
});

test('NODE_ENV=production refuses every published development value, even set explicitly', async () => {
  const cases = Object.entries(PUBLISHED_SECRETS).flatMap(([name, values]) => values.map((value) => ({ name, value })));
  // Two at a time: a dozen tsx start-ups at once would starve each other past the timeout.
  for (let i = 0; i < cases.length; i += 2) {
    const batch = cases.slice(i, i + 2);
    const exits = await Promise.all(batch.map(({ name, value }) => start([], { ...productionSettings(), [name]: value }, 60_000)));
    for (const [k, { name, value }] of batch.entries()) {
      refused(exits[k]!, new RegExp(`^Invalid setting ${name}: a published development value`));
      assert.ok(!exits[k]!.stderr.includes(value), `the refusal of ${name} does not repeat the value`);
    }
  }
});

/** Runs `npm start` until its banner is printed; returns the banner and how to stop it. */
async function running(settings: Record<string, string>): Promise<{ banner: string; gateway: string; stop(): Promise<number | null> }> {
  const child = spawnStart([], settings);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const up = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/demo customer .*\n/.test(stdout)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before its banner\n${stdout}\n${stderr}`)));
    setTimeout(() => reject(new Error(`no banner within 60 s\n${stdout}\n${stderr}`)), 60_000).unref();
  });
  await up.catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  const gateway = /GraphQL.*\s(http:\/\/\S+)\/graphql/.exec(stdout)?.[1];
  assert.ok(gateway, stdout);
  return {
    banner: stdout,
    gateway,
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

const ask = async (gateway: string, query: string) =>
  (await (await fetch(`${gateway}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
    data?: Record<string, any> | null;
    errors?: unknown[];
  };

/** Free ports for everything, so the gateway can be told where each subgraph is. */
async function portSettings(): Promise<Record<string, string>> {
  const names = ['GATEWAY', 'ACCOUNT', 'INVENTORY', 'ORDER', 'PAYMENT', 'STRIPE_EMULATOR'];
  const ports = await Promise.all(names.map(freePort));
  const settings = Object.fromEntries(names.map((n, i) => [`${n}_PORT`, String(ports[i])]));
  for (const [i, n] of names.slice(1, 5).entries()) settings[`${n}_URL`] = `http://127.0.0.1:${ports[i + 1]}`;
  return settings;
}

test('production seeds no demo customer, and the banner says what is served', async () => {
  const ports = await portSettings();
  const system = await running({ ...productionSettings(), ...ports, STRIPE_EMULATOR_URL: `http://127.0.0.1:${ports.STRIPE_EMULATOR_PORT}` });
  try {
    const login = await ask(system.gateway, 'mutation { logIn(email: "demo@example.com", password: "demo-password") { token } }');
    assert.ok(!login.data?.logIn && login.errors?.length, `the demo customer cannot sign in: ${JSON.stringify(login)}`);
    assert.equal((await ask(system.gateway, '{ products(first: 1) { totalCount } }')).data?.products.totalCount, 0, 'no demo catalog');
    const banner = system.banner;
    assert.match(banner, /NODE_ENV=production/);
    assert.match(banner, new RegExp(`^  GraphQL +http://127\\.0\\.0\\.1:${ports.GATEWAY_PORT}/graphql$`, 'm'), 'no Sandbox in production');
    assert.match(banner, new RegExp(`gateway listens on 127\\.0\\.0\\.1:${ports.GATEWAY_PORT}`));
    assert.match(
      banner,
      new RegExp(`loopback only +account 127\\.0\\.0\\.1:${ports.ACCOUNT_PORT}, inventory .*payment 127\\.0\\.0\\.1:${ports.PAYMENT_PORT}, Stripe emulator`),
    );
    assert.match(banner, /payments +the Stripe emulator .*no real money/);
    assert.match(banner, /\/metrics +needs Authorization: Bearer <METRICS_TOKEN>/);
    assert.match(banner, /secrets +all your own/);
    assert.match(banner, /demo customer +none/);
    assert.doesNotMatch(banner, /demo-password|admin-password/);
  } finally {
    assert.equal(await system.stop(), 0, 'SIGTERM stops it cleanly');
  }
});

test('in development the banner names the development secrets, the open /metrics and the demo customer', async () => {
  const system = await running(await portSettings());
  try {
    const login = await ask(system.gateway, 'mutation { logIn(email: "demo@example.com", password: "demo-password") { token } }');
    assert.ok(login.data?.logIn?.token, JSON.stringify(login));
    assert.match(system.banner, /GraphQL \+ Sandbox/);
    assert.match(system.banner, /secrets +development values in use: JWT_SECRET, SERVICE_TOKEN, ADMIN_PASSWORD, STRIPE_WEBHOOK_SECRET/);
    assert.match(system.banner, /\/metrics +open .*METRICS_TOKEN unset/);
    assert.match(system.banner, /demo customer +demo@example\.com \/ demo-password/);
  } finally {
    assert.equal(await system.stop(), 0);
  }
});

test('running one subgraph alone needs DATABASE_URL and AMQP_URL, and an unknown service is named', async () => {
  refused(await start(['order'], {}), /^Invalid setting AMQP_URL: running order alone needs DATABASE_URL and AMQP_URL/);
  refused(await start(['shipping'], {}), /^Unknown service "shipping"/);
});
