// What every workload gets from the runner.
import type { Product } from './seed.js';
import type { Pool } from './sql.js';
import type { Stack } from './stack.js';

export interface Bench {
  smoke: boolean;
  databaseUrl: string;
  amqpUrl: string;
  stack: Stack;
  /** Measured time per load (after its warm-up) and the warm-up. */
  durationMs: number;
  warmupMs: number;
  /** Pools on this run's service databases (and one without a database for server-wide things). */
  db: { order: Pool; payment: Pool; inventory: Pool; server: Pool };
  /** The seeded catalog; workloads use disjoint slices so their stock never mixes. */
  products: Product[];
  resultsDir: string;
  /** Pids per process group for CPU accounting (services, MariaDB, RabbitMQ, this load generator). */
  cpuGroups(extra?: Record<string, number[]>): Record<string, number[]>;
  log(message: string): void;
}
