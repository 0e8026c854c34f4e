// SIGTERM stops `npm start` cleanly: servers, consumers and connections closed, exit code 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { freePort } from '../../lib/platform/net.js';
import { childEnv } from '../../lib/testkit/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('SIGTERM closes everything and exits 0', async () => {
  const [g, a, i, o, p, s] = await Promise.all(Array.from({ length: 6 }, freePort));
  const env = childEnv({
    HOST: '127.0.0.1',
    ...Object.fromEntries(
      Object.entries({ GATEWAY_PORT: g, ACCOUNT_PORT: a, INVENTORY_PORT: i, ORDER_PORT: o, PAYMENT_PORT: p, STRIPE_EMULATOR_PORT: s }).map(([k, v]) => [
        k,
        String(v),
      ]),
    ),
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
    let termAt = 0;
    child.on('spawn', () => undefined);
    child.on('exit', (code) => resolve({ code, ms: termAt ? Date.now() - termAt : -1 }));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const waitUp = setInterval(async () => {
      const up = await fetch(`http://127.0.0.1:${g}/health/live`)
        .then((r) => r.ok)
        .catch(() => false);
      if (!up) return;
      clearInterval(waitUp);
      termAt = Date.now();
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, 200);
    child.on('exit', () => {
      clearInterval(waitUp);
      clearTimeout(deadline);
    });
  });
  const { code, ms } = await exited;
  assert.equal(code, 0, `exit code ${code} after SIGTERM (${ms} ms); output:\n${output}`);
  assert.ok(ms >= 0, `the system never came up:\n${output}`);
});
