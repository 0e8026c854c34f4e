// The migration that gives a subgraph's stored settled status the lifecycle's name, and back.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { settledStatusMigration } from '../renamed-status.js';
import { statusesOf, tokenDatabase } from './fixture.js';

const db = await tokenDatabase();

test('SOLD rows become SETTLED and back; other statuses are untouched', async () => {
  const orderId = randomUUID();
  const row = (pool: string, status: string) => ({ orderId, pool, quantity: 1, status, expiresAt: new Date(), createdAt: new Date() });
  await db.manager.insert('TokenHold', [row('a', 'SOLD'), row('b', 'RELEASED')]);
  const Migration = settledStatusMigration('SettledTokenHolds1732000000999', 'token_holds', 'SOLD');
  const q = db.dataSource.createQueryRunner();
  try {
    await new Migration().up(q);
    assert.deepEqual(await statusesOf(db, orderId), ['RELEASED', 'SETTLED']);
    await new Migration().down(q);
    assert.deepEqual(await statusesOf(db, orderId), ['RELEASED', 'SOLD']);
  } finally {
    await q.release();
  }
});
