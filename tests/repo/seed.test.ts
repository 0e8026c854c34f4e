// `npm run seed` seeds the demo catalog and customer on demand, once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { childEnv, dropDatabases, testConfig } from '../../lib/testkit/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

test('npm run seed adds the demo catalog and customer to empty databases, and nothing the second time', async () => {
  const env = childEnv({ LOG_LEVEL: 'silent', ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });
  try {
    const first = await run(process.execPath, ['--import', 'tsx', 'bin/seed.ts'], { cwd: root, env });
    assert.match(first.stdout, /demo customer: demo@example\.com/);
    assert.match(first.stdout, /demo catalog: 12 products/);
    const second = await run(process.execPath, ['--import', 'tsx', 'bin/seed.ts'], { cwd: root, env });
    assert.match(second.stdout, /customers exist already/);
    assert.match(second.stdout, /products exist already/);
  } finally {
    await dropDatabases({ ...testConfig(), DB_PREFIX: env.DB_PREFIX! });
  }
});
