// selectRows hydrates a row exactly as TypeORM's own find does (JSON, booleans, times, nulls), on
// the configured database, and locks with FOR UPDATE only where the dialect has it; writes sent
// together answer how many rows each changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EntitySchema, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, json } from './columns.js';
import { Database } from './database.js';
import { loaderByKey, loaderOfGroups } from './loaders.js';
import { changedByEach, columnOf, readThenChange, rowsQuery, selectRows, selectTogether } from './raw-rows.js';
import { queueWrite } from './folded-statements.js';
import { createLogger } from '../observability/logger.js';
import { dropDatabases, testConfig } from '../../testkit/config.js';

interface ThingRow {
  id: string;
  groupId: string;
  position: number;
  shipped: boolean;
  address: { city: string } | null;
  note: string | null;
  at: Date;
}

const ThingEntity = new EntitySchema<ThingRow>({
  name: 'Thing',
  tableName: 'things',
  columns: {
    id: col.id,
    groupId: { ...col.uuid(), name: 'group_id' },
    position: col.int(),
    shipped: { type: 'boolean', default: false },
    address: { ...col.longText(true), transformer: json<{ city: string }>() },
    note: col.text(50, true),
    at: col.time(),
  },
});

class CreateThings implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(q: QueryRunner) {
    await q.query(
      'CREATE TABLE things (id VARCHAR(36) PRIMARY KEY, group_id VARCHAR(36) NOT NULL, position INT NOT NULL, shipped BOOLEAN NOT NULL, address TEXT NULL, note VARCHAR(50) NULL, at DATETIME(3) NOT NULL)',
    );
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE things');
  }
}

test('selectRows and the loaders hydrate rows as TypeORM’s find does', async (t) => {
  const config = testConfig();
  const db = await Database.open(config, { service: 'rawrows', entities: [ThingEntity], migrations: [CreateThings] }, createLogger('test', 'silent'));
  t.after(async () => (await db.close(), await dropDatabases(config)));
  const em = db.manager;
  const rows: ThingRow[] = [
    { id: 'a', groupId: 'g1', position: 2, shipped: true, address: { city: 'Lyon' }, note: 'it’s "quoted"', at: new Date('2026-01-02T03:04:05.678Z') },
    { id: 'b', groupId: 'g1', position: 1, shipped: false, address: null, note: null, at: new Date('2026-02-03T04:05:06.789Z') },
    { id: 'c', groupId: 'g2', position: 1, shipped: false, address: { city: 'Oslo' }, note: 'x', at: new Date('2026-03-04T05:06:07.890Z') },
  ];
  await em.insert(ThingEntity, rows);

  const theirs = await em.find(ThingEntity, { order: { id: 'ASC' } });
  const ours = await selectRows(em, ThingEntity, 'id IN (?, ?, ?)', ['a', 'b', 'c'], { orderBy: 'id' });
  assert.deepEqual(ours, theirs);
  assert.deepEqual(ours, rows, 'and as they were written');

  assert.equal(columnOf(em, ThingEntity, 'groupId'), 'group_id');
  const locked = await db.transaction((tx) => selectRows(tx, ThingEntity, 'id = ?', ['b'], { forUpdate: true }));
  assert.deepEqual(locked, [rows[1]]);

  const byId = loaderByKey(em, ThingEntity, 'id');
  assert.deepEqual(await byId.loadMany(['c', 'missing', 'a']), [rows[2], null, rows[0]]);
  const byGroup = loaderOfGroups(em, ThingEntity, 'groupId', { position: 'ASC' });
  assert.deepEqual(await byGroup.loadMany(['g1', 'g2', 'g3']), [[rows[1], rows[0]], [rows[2]], []]);

  // Two reads in one round trip, alone and inside a transaction behind a queued write.
  const groupAndOne = (on: typeof em) =>
    selectTogether(on, rowsQuery(on, ThingEntity, 'group_id = ?', ['g1'], { orderBy: 'position' }), rowsQuery(on, ThingEntity, 'id = ?', ['c']));
  assert.deepEqual(await groupAndOne(em), [[rows[1], rows[0]], [rows[2]]]);
  const inTransaction = await db.transaction(async (tx) => {
    await queueWrite(tx, 'UPDATE things SET note = ? WHERE id = ?', ['changed', 'c']);
    return groupAndOne(tx);
  });
  assert.deepEqual(inTransaction, [[rows[1], rows[0]], [{ ...rows[2], note: 'changed' }]]);
});

test('changedByEach and readThenChange answer each write’s changed rows, alone and behind a queued write', async (t) => {
  const config = testConfig();
  const db = await Database.open(config, { service: 'rawchanges', entities: [ThingEntity], migrations: [CreateThings] }, createLogger('test', 'silent'));
  t.after(async () => (await db.close(), await dropDatabases(config)));
  const at = new Date('2026-01-02T03:04:05.678Z');
  await db.manager.insert(ThingEntity, [
    { id: 'a', groupId: 'g1', position: 1, shipped: false, address: null, note: null, at },
    { id: 'b', groupId: 'g1', position: 5, shipped: false, address: null, note: null, at },
  ]);
  const bump = (id: string, atMost: number) => ({ sql: 'UPDATE things SET position = position + 1 WHERE id = ? AND position <= ?', values: [id, atMost] });

  assert.deepEqual(await changedByEach(db.manager, [bump('a', 3)]), [1], 'one write');
  assert.deepEqual(await changedByEach(db.manager, [bump('a', 3), bump('b', 3), bump('missing', 3)]), [1, 0, 0]);
  const [read, changed] = await db.transaction(async (tx) => {
    await queueWrite(tx, 'UPDATE things SET note = ? WHERE id = ?', ['queued', 'b']);
    return readThenChange(tx, rowsQuery(tx, ThingEntity, 'id = ?', ['b']), [bump('a', 2), bump('b', 5)]);
  });
  assert.deepEqual(
    read.map((r) => [r.note, r.position]),
    [['queued', 5]],
    'the read sees the queued write, and comes before the changes',
  );
  assert.deepEqual(changed, [0, 1]);
  assert.deepEqual(
    (await db.manager.find(ThingEntity, { order: { id: 'ASC' } })).map((r) => r.position),
    [3, 6],
  );
});
