// Straight SQL for what the benchmark does around the system (seeding, waiting, checking,
// counting, cleaning up): cheaper than going through the API and not part of what is measured.
import mysql from 'mysql2/promise';

export type Pool = mysql.Pool;

function connectionOptions(databaseUrl: string) {
  const u = new URL(databaseUrl);
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) || undefined };
}

export function openPool(databaseUrl: string, database: string | null, connectionLimit = 4): Pool {
  return mysql.createPool({ ...connectionOptions(databaseUrl), ...(database ? { database } : {}), connectionLimit, timezone: 'Z', multipleStatements: false });
}

/** Rows of a query, typed by the caller (default: a count or a single value in `n`). */
export async function rows<T = { n: number }>(pool: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  const [r] = await pool.query(sql, params);
  return r as T[];
}

/** MariaDB DATETIME(3) text in UTC, as the services store it. */
export { sqlTime } from '../lib/platform/db/database.js';

/** One transaction on one pooled connection: committed, or rolled back and rethrown. */
export async function inTransaction<T>(pool: Pool, fn: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await conn.query('START TRANSACTION');
    const result = await fn(conn);
    await conn.query('COMMIT');
    return result;
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

/** Server-wide counters (SHOW GLOBAL STATUS): they include every client of this MariaDB. */
export async function globalStatus(pool: Pool, names: string[]): Promise<Record<string, number>> {
  const r = await rows<{ Variable_name: string; Value: string }>(pool, `SHOW GLOBAL STATUS WHERE Variable_name IN (${names.map(() => '?').join(',')})`, names);
  return Object.fromEntries(r.map((x) => [x.Variable_name, Number(x.Value)]));
}
