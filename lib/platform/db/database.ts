// One database per subgraph: `${DB_PREFIX}_<subgraph>` on MySQL/MariaDB when DATABASE_URL is set,
// otherwise a better-sqlite3 file under DATA_DIR. Schema only ever changes through migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Mutex } from 'async-mutex';
import mysql from 'mysql2/promise';
import {
  DataSource,
  type EntityManager,
  type EntitySchema,
  type Logger as OrmLogger,
  type MigrationInterface,
  type MixedList,
  type ObjectLiteral,
  type SelectQueryBuilder,
} from 'typeorm';
import type { Config } from '../config.js';
import { foldStatementsOn } from './folded-statements.js';
import type { Logger } from '../observability/logger.js';

export type Dialect = 'mysql' | 'sqlite';

export interface DatabaseOptions {
  service: string;
  entities: EntitySchema[];
  migrations: MixedList<new () => MigrationInterface>;
}

export class DatabaseUnavailableError extends Error {}

/** Counts statements so tests can prove a federated list is batched (no N+1). */
class CountingLogger implements OrmLogger {
  statements = 0;
  constructor(private readonly pino: Logger) {}
  logQuery() {
    this.statements++;
  }
  logQueryError(error: string | Error, query: string) {
    this.pino.debug({ err: String(error), query }, 'query failed');
  }
  logQuerySlow(time: number, query: string) {
    this.pino.warn({ time, query }, 'slow query');
  }
  logSchemaBuild() {}
  logMigration(message: string) {
    this.pino.debug(message);
  }
  log() {}
}

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

export class Database {
  /** SQLite has one connection: transactions must take turns. */
  private readonly writer = new Mutex();

  private constructor(
    readonly dataSource: DataSource,
    readonly dialect: Dialect,
    private readonly counter: CountingLogger,
  ) {}

  /** Opens (and migrates) a database for one piece of work and closes it after: commands outside a running service. */
  static async using<T>(config: Config, options: DatabaseOptions, log: Logger, work: (db: Database) => Promise<T>): Promise<T> {
    const db = await Database.open(config, options, log);
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }

  static async open(config: Config, options: DatabaseOptions, log: Logger): Promise<Database> {
    const counter = new CountingLogger(log);
    const name = `${config.DB_PREFIX}_${options.service}`;
    let dataSource: DataSource;
    if (config.DATABASE_URL) {
      await ensureMysqlDatabase(config.DATABASE_URL, name);
      dataSource = new DataSource({
        type: 'mysql',
        url: config.DATABASE_URL,
        database: name,
        entities: options.entities,
        migrations: options.migrations,
        poolSize: config.DB_POOL_SIZE,
        // mysql2 captures a stack trace per statement for its own error messages (2–4 % of a
        // subgraph's CPU in the bench profiles); TypeORM's QueryFailedError carries ours anyway.
        // multipleStatements: transactions fold their statements into fewer round trips (folded-statements.ts).
        extra: { trace: false, multipleStatements: true },
        timezone: 'Z',
        charset: 'utf8mb4_unicode_ci',
        logger: counter,
        logging: ['query', 'error'],
        // Several subgraphs or tests may migrate the same server at once: each runs in its own transaction.
        migrationsTransactionMode: 'each',
      });
    } else {
      mkdirSync(config.DATA_DIR, { recursive: true });
      dataSource = new DataSource({
        type: 'better-sqlite3',
        database: join(config.DATA_DIR, `${name}.sqlite`),
        entities: options.entities,
        migrations: options.migrations,
        enableWAL: true,
        prepareDatabase: (db: { pragma(s: string): unknown }) => {
          db.pragma('busy_timeout = 5000');
        },
        logger: counter,
        logging: ['query', 'error'],
      });
    }
    try {
      await dataSource.initialize();
      if (config.DATABASE_URL) tunePool(dataSource);
      await dataSource.runMigrations({ transaction: 'each' });
    } catch (err) {
      if (dataSource.isInitialized) await dataSource.destroy();
      throw new DatabaseUnavailableError(`Cannot open database ${name}: ${(err as Error).message}`);
    }
    return new Database(dataSource, config.DATABASE_URL ? 'mysql' : 'sqlite', counter);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get statementCount(): number {
    return this.counter.statements;
  }

  /** Runs fn in one transaction, retried on deadlock or lock timeout (it must be safe to re-run). */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.retried(() => (this.dialect === 'sqlite' ? this.writer.runExclusive(() => this.dataSource.transaction(fn)) : this.dataSource.transaction(fn)));
  }

  /** One statement outside any transaction, retried like a transaction; on SQLite it takes its turn with the transactions. */
  async write(sql: string, params: unknown[]): Promise<void> {
    await this.retried(() =>
      this.dialect === 'sqlite' ? this.writer.runExclusive(() => this.dataSource.query(sql, params)) : this.dataSource.query(sql, params),
    );
  }

  /** Runs attempt again after a deadlock or lock timeout, up to 8 times, with a growing random pause. */
  private async retried<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (n >= 8 || !isRetryable(err)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * n));
      }
    }
  }

  /** True when the database answers a trivial query. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A connection that hangs must not hang the readiness check with it.
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)));
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Every connection the pool hands out folds its transactions' statements and keeps its promise
 * wrapper (connections made before this, on their next acquire).
 */
function tunePool(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { pool: { on(event: 'connection' | 'acquire', fn: (c: never) => void): void } }).pool;
  for (const event of ['connection', 'acquire'] as const) {
    pool.on(event, foldStatementsOn);
    pool.on(event, keepPromiseWrapper);
  }
}

type PromiseWrapped = { promise(promiseImpl?: unknown): unknown };
const wrapperKept = new WeakSet<PromiseWrapped>();

/**
 * TypeORM asks the connection for mysql2's promise wrapper on every query (`connection.promise()`),
 * and mysql2 makes a new one each time, with a `require` and two listeners: 2–3 % of a subgraph's
 * CPU under checkout load. The wrapper keeps nothing of its own, so a connection reuses its first.
 */
function keepPromiseWrapper(connection: PromiseWrapped): void {
  if (wrapperKept.has(connection)) return;
  wrapperKept.add(connection);
  const make = connection.promise.bind(connection);
  let kept: unknown;
  connection.promise = (promiseImpl?: unknown) => (promiseImpl === undefined ? (kept ??= make()) : make(promiseImpl));
}

export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
  return !!code && RETRYABLE.has(code);
}

export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}

async function ensureMysqlDatabase(url: string, name: string): Promise<void> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  } catch (err) {
    const where = new URL(url);
    throw new DatabaseUnavailableError(
      `Cannot reach the database at ${where.hostname}:${where.port || 3306} (${(err as { code?: string }).code ?? (err as Error).message}). Check DATABASE_URL.`,
    );
  }
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

/**
 * SELECT … FOR UPDATE on MySQL; SQLite needs none (its transactions already take turns) and refuses
 * it. The dialect is the query's own connection's, so no caller carries it along.
 */
export function withRowLock<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return qb.connection.options.type === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}

/**
 * A time as a query parameter. TypeORM stores datetimes in UTC as 'YYYY-MM-DD HH:MM:SS.SSS' on
 * both dialects, but passes raw Date parameters through untouched, which better-sqlite3 refuses.
 */
export function sqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The other way, for raw query results: mysql2 hands back a Date, better-sqlite3 that UTC string. */
export function parseSqlTime(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.replace(' ', 'T') + (text.endsWith('Z') ? '' : 'Z'));
}
