// Folded statements: what goes over the wire (a stub connection records each round trip), and what
// a real database makes of it (MariaDB when DATABASE_URL is set; on SQLite queued writes run at once).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { foldStatementsOn, queueWrite } from './folded-statements.js';
import { Database } from './database.js';
import { createLogger } from '../observability/logger.js';
import { dropDatabases, onMariaDb, testConfig } from '../../testkit/config.js';

type Done = (err: unknown, result?: unknown, fields?: unknown) => void;

/** A stand-in for a mysql2 connection: records every query it is sent and answers one result per statement. */
function stubConnection(fail?: (sql: string) => unknown) {
  const sent: { sql: string; values: unknown[] }[] = [];
  const connection = {
    query(text: unknown, params: unknown, done?: Done) {
      const [sql, values, cb] = [text as string, params as unknown[], done!];
      sent.push({ sql, values });
      const statements = sql.split(';\n');
      const error = fail?.(sql);
      if (error) return process.nextTick(cb, error);
      const results = statements.map((s) => (s.startsWith('SELECT') ? [{ s }] : { affectedRows: 1 }));
      process.nextTick(cb, null, statements.length > 1 ? results : results[0]);
    },
  };
  foldStatementsOn(connection);
  const run = (sql: string, values: unknown[] = []) =>
    new Promise<unknown>((resolve, reject) => connection.query(sql, values, (err, r) => (err ? reject(err) : resolve(r))));
  /** The manager of a transaction on this connection, as TypeORM hands it to the work. */
  const em = { queryRunner: { isTransactionActive: true, databaseConnection: connection }, query: run } as unknown as EntityManager;
  return { sent, run, em };
}

test('START TRANSACTION and queued writes travel with the next statement, the last ones with COMMIT', async () => {
  const { sent, run, em } = stubConnection();
  await run('START TRANSACTION');
  assert.equal(sent.length, 0);
  const row = await run('SELECT a FROM t WHERE id = ? FOR UPDATE', [1]);
  assert.deepEqual(row, [{ s: 'SELECT a FROM t WHERE id = ? FOR UPDATE' }], 'the answer is the statement’s own');
  await queueWrite(em, 'UPDATE t SET a = ? WHERE id = ?', [2, 1]);
  await queueWrite(em, 'INSERT INTO h (x) VALUES (?)', ['a ? in a value']);
  assert.equal(sent.length, 1);
  await run('COMMIT');
  assert.deepEqual(sent, [
    { sql: 'START TRANSACTION;\nSELECT a FROM t WHERE id = ? FOR UPDATE', values: [1] },
    { sql: 'UPDATE t SET a = ? WHERE id = ?;\nINSERT INTO h (x) VALUES (?);\nCOMMIT', values: [2, 1, 'a ? in a value'] },
  ]);
  // Outside a transaction, statements go alone and queued writes run at once.
  await run('SELECT 1');
  assert.deepEqual(sent[2], { sql: 'SELECT 1', values: [] });
});

test('a transaction that sent nothing sends neither START TRANSACTION nor COMMIT nor ROLLBACK', async () => {
  const { sent, run } = stubConnection();
  await run('START TRANSACTION');
  await run('COMMIT');
  await run('START TRANSACTION');
  await run('ROLLBACK');
  assert.deepEqual(sent, []);
});

test('a failed queued write fails the transaction: its COMMIT is refused even when the error was caught', async () => {
  const duplicate = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });
  const { sent, run, em } = stubConnection((sql) => (sql.includes('INSERT INTO h') ? duplicate : null));
  await run('START TRANSACTION');
  await run('SELECT 1');
  await queueWrite(em, 'INSERT INTO h (x) VALUES (?)', [1]);
  await assert.rejects(run('SELECT 2'), /Duplicate/);
  await assert.rejects(run('COMMIT'), /Duplicate/, 'refused, with the write’s own error');
  assert.equal(sent.filter((s) => s.sql.includes('COMMIT')).length, 0, 'no COMMIT was sent');
  await run('ROLLBACK');
  assert.equal(sent.at(-1)!.sql, 'ROLLBACK');
});

class CreateFolded implements MigrationInterface {
  name = 'CreateFolded1700000000000';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE folded (id INTEGER PRIMARY KEY, note VARCHAR(100) NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE folded');
  }
}

async function openDatabase() {
  const config = testConfig();
  const db = await Database.open(config, { service: 'folded', entities: [], migrations: [CreateFolded] }, createLogger('test', 'silent'));
  return { db, close: async () => (await db.close(), await dropDatabases(config)) };
}

const notes = async (db: Database) =>
  ((await db.manager.query('SELECT id, note FROM folded ORDER BY id')) as { id: number; note: string }[]).map((r) => [Number(r.id), r.note]);

test('on the database: queued writes land in order, are read back in the transaction, and a failed one rolls it all back', async (t) => {
  const { db, close } = await openDatabase();
  t.after(close);
  const seen = await db.transaction(async (em) => {
    await queueWrite(em, 'INSERT INTO folded (id, note) VALUES (?, ?)', [1, 'one ? two']);
    await queueWrite(em, 'UPDATE folded SET note = ? WHERE id = ?', ['first', 1]);
    return em.query('SELECT note FROM folded WHERE id = ?', [1]);
  });
  assert.deepEqual(seen, [{ note: 'first' }]);
  await db.transaction(async (em) => queueWrite(em, 'INSERT INTO folded (id, note) VALUES (?, ?)', [2, 'second']));
  assert.deepEqual(await notes(db), [
    [1, 'first'],
    [2, 'second'],
  ]);

  await assert.rejects(
    db.transaction(async (em) => {
      await em.query('INSERT INTO folded (id, note) VALUES (?, ?)', [3, 'third']);
      await queueWrite(em, 'INSERT INTO folded (id, note) VALUES (?, ?)', [1, 'a duplicate id']);
    }),
    /Duplicate|UNIQUE/,
  );
  assert.deepEqual((await notes(db)).length, 2, 'the third row went with the failed write');
});

test(
  'on MariaDB: a caller that catches a queued write’s failure still cannot commit',
  { skip: !onMariaDb && 'needs MariaDB (SQLite runs queued writes at once)' },
  async (t) => {
    const { db, close } = await openDatabase();
    t.after(close);
    await db.transaction((em) => em.query('INSERT INTO folded (id, note) VALUES (?, ?)', [1, 'one']));
    await assert.rejects(
      db.transaction(async (em) => {
        // Every error caught: without folding the duplicate would fail alone and 'two' would commit.
        await queueWrite(em, 'INSERT INTO folded (id, note) VALUES (?, ?)', [2, 'two']);
        await queueWrite(em, 'INSERT INTO folded (id, note) VALUES (?, ?)', [1, 'a duplicate id']).catch(() => undefined);
        await em.query('SELECT 1').catch(() => undefined);
      }),
      /Duplicate/,
    );
    assert.deepEqual(await notes(db), [[1, 'one']]);
  },
);

test('on MariaDB: a pooled connection keeps one promise wrapper across queries', { skip: !onMariaDb && 'needs MariaDB' }, async (t) => {
  const { db, close } = await openDatabase();
  t.after(close);
  const wrappers = await db.transaction(async (em) => {
    const connection = (em.queryRunner as unknown as { databaseConnection: { promise(): unknown } }).databaseConnection;
    await em.query('SELECT 1');
    await em.query('INSERT INTO folded (id, note) VALUES (?, ?)', [1, 'through the kept wrapper']);
    return [connection.promise(), connection.promise()];
  });
  assert.equal(wrappers[0], wrappers[1]);
  assert.deepEqual(await notes(db), [[1, 'through the kept wrapper']]);
});
