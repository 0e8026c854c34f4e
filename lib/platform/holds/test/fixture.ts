// A throwaway kind of hold for the module's tests: "tokens" held per (order, pool) out of a pool
// of available tokens. Raw SQL on purpose, so the tests show the module needs nothing but its kind.
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { EntitySchema, Table, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, int, text, time, uuid } from '../../db/columns.js';
import { Database } from '../../db/database.js';
import { createLogger } from '../../observability/logger.js';
import { dropDatabases, testConfig } from '../../../testkit/config.js';
import type { HoldKind, HoldRow } from '../hold-kind.js';

export interface TokenHoldRow extends HoldRow {
  pool: string;
  quantity: number;
}

const TokenHoldEntity = new EntitySchema<TokenHoldRow>({
  name: 'TokenHold',
  tableName: 'token_holds',
  columns: {
    orderId: { ...col.uuid(), primary: true, name: 'order_id' },
    pool: { ...col.text(36), primary: true },
    quantity: col.int(),
    status: col.text(16),
    expiresAt: { ...col.time(), name: 'expires_at' },
    createdAt: { ...col.time(), name: 'created_at' },
  },
});

class CreateTokenHolds1732000000990 implements MigrationInterface {
  name = 'CreateTokenHolds1732000000990';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'token_holds',
        columns: [
          { ...uuid('order_id'), isPrimary: true },
          { ...text('pool', 36), isPrimary: true },
          int('quantity'),
          text('status', 16),
          time('expires_at'),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(new Table({ name: 'token_pools', columns: [{ ...text('pool', 36), isPrimary: true }, int('available'), int('used', 0)] }));
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('token_pools');
    await q.dropTable('token_holds');
  }
}

/** Runs an UPDATE in the caller's transaction; how many rows it changed. */
async function update(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await em.queryRunner!.query(sql, params, true)).affected ?? 0;
}

const add = (em: EntityManager, pool: string, available: number, used: number) =>
  update(em, 'UPDATE token_pools SET available = available + ?, used = used + ? WHERE pool = ?', [available, used, pool]);

export const tokenHolds: HoldKind<TokenHoldRow> = {
  entity: TokenHoldEntity,
  lineKey: 'pool',
  giveBack: async (em, h) => void (await add(em, h.pool, h.quantity, 0)),
  useUp: async (em, h) => void (await add(em, h.pool, 0, h.quantity)),
  useUpAfresh: async (em, h) =>
    (await update(em, 'UPDATE token_pools SET available = available - ?, used = used + ? WHERE pool = ? AND available >= ?', [
      h.quantity,
      h.quantity,
      h.pool,
      h.quantity,
    ])) > 0,
};

/** Takes tokens from each pool where enough are available; returns the pools that were short. */
export async function takeTokens(em: EntityManager, lines: { pool: string; quantity: number }[]): Promise<string[]> {
  const short: string[] = [];
  for (const l of lines) {
    if (!(await update(em, 'UPDATE token_pools SET available = available - ? WHERE pool = ? AND available >= ?', [l.quantity, l.pool, l.quantity])))
      short.push(l.pool);
  }
  return short;
}

/** A database with the token tables, dropped after the test file. */
export async function tokenDatabase(): Promise<Database> {
  const config = testConfig();
  const db = await Database.open(
    config,
    { service: 'holds', entities: [TokenHoldEntity], migrations: [CreateTokenHolds1732000000990] },
    createLogger('holds', 'silent'),
  );
  after(async () => {
    await db.close();
    await dropDatabases(config);
  });
  return db;
}

export async function newPool(db: Database, available: number): Promise<string> {
  const pool = randomUUID();
  await db.manager.query('INSERT INTO token_pools (pool, available, used) VALUES (?, ?, 0)', [pool, available]);
  return pool;
}

export async function poolOf(db: Database, pool: string): Promise<{ available: number; used: number }> {
  const [row] = await db.manager.query('SELECT available, used FROM token_pools WHERE pool = ?', [pool]);
  return { available: Number(row.available), used: Number(row.used) };
}

export const statusesOf = async (db: Database, orderId: string): Promise<string[]> =>
  (await db.manager.findBy(TokenHoldEntity, { orderId })).map((h) => h.status).sort();
