// `npm start` refuses to run on bad settings with one clear line, instead of a stack trace or a hang.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/start.ts (as `npx tsx bin/start.ts` does, minus npm's own output) with only the given
 * settings, on ephemeral ports, and kills it if it is still running after the timeout.
 */
function start(args: string[], settings: Record<string, string>, timeoutMs = 30_000): Promise<Exit> {
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
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

test('NODE_ENV=production refuses to start on development secrets', async () => {
  const secrets = { SERVICE_TOKEN: 'a-production-service-token', ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'a-production-password' };
  refused(await start([], { NODE_ENV: 'production', ...secrets }), /^Invalid setting JWT_SECRET: required when NODE_ENV=production/);
  refused(await start(['gateway'], { NODE_ENV: 'production', ...secrets }), /^Invalid setting JWT_SECRET\b/);
  refused(await start([], { NODE_ENV: 'production', ...secrets, JWT_SECRET: 'too-short' }), /^Invalid setting JWT_SECRET\b/);
});

test('running one subgraph alone needs DATABASE_URL and AMQP_URL, and an unknown service is named', async () => {
  refused(await start(['order'], {}), /^Invalid setting AMQP_URL: running order alone needs DATABASE_URL and AMQP_URL/);
  refused(await start(['shipping'], {}), /^Unknown service "shipping"/);
});
