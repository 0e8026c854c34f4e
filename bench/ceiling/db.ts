// The database ceiling: how many small write transactions this MariaDB commits per second through
// a 10-connection mysql2 pool (a service's pool size), each UPDATE + INSERT + SELECT between
// BEGIN and COMMIT — roughly the shape of one step of a checkout, with none of our code around it.
import { closedLoop, latency, type Latency } from '../stats.js';
import { inTransaction, openPool, type Pool } from '../sql.js';

export interface DbCeiling {
  transactionsPerSecond: number;
  latencyMs: Latency;
  errors: number;
  poolSize: number;
  durationMs: number;
}

const ROWS = 1000;

export async function measureDbCeiling(databaseUrl: string, database: string, durationMs: number, poolSize = 10): Promise<DbCeiling> {
  const admin = openPool(databaseUrl, null, 1);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  await admin.end();
  const pool: Pool = openPool(databaseUrl, database, poolSize);
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS counters (id INT PRIMARY KEY, n INT NOT NULL)');
    await pool.query('CREATE TABLE IF NOT EXISTS events (position BIGINT AUTO_INCREMENT PRIMARY KEY, counter_id INT NOT NULL, at DATETIME(3) NOT NULL)');
    await pool.query('INSERT IGNORE INTO counters (id, n) VALUES ?', [Array.from({ length: ROWS }, (_, i) => [i, 0])]);
    const samples: number[] = [];
    const tx = async () => {
      const id = Math.floor(Math.random() * ROWS);
      const t0 = performance.now();
      await inTransaction(pool, async (conn) => {
        await conn.query('UPDATE counters SET n = n + 1 WHERE id = ?', [id]);
        await conn.query('INSERT INTO events (counter_id, at) VALUES (?, NOW(3))', [id]);
        await conn.query('SELECT n FROM counters WHERE id = ?', [id]);
      });
      samples.push(performance.now() - t0);
    };
    // Warm the pool and the pages first, as the services have by the time they are measured.
    await closedLoop({ workers: poolSize, durationMs: Math.min(1000, durationMs / 4), maxIterations: 1e6, iteration: tx });
    samples.length = 0;
    const run = await closedLoop({ workers: poolSize, durationMs, maxIterations: 1e7, iteration: tx });
    return { transactionsPerSecond: run.done / (run.elapsedMs / 1000), latencyMs: latency(samples), errors: run.errors, poolSize, durationMs: run.elapsedMs };
  } finally {
    await pool.end();
  }
}
