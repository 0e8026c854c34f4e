// npm run bench            → the full benchmark (about 10 s per measured load), ~10 minutes
// npm run bench:smoke      → the same workloads for a few seconds each, to keep this working (CI)
// Flags: --reseed (rebuild the kept growth data), --profile (CPU profiles of the services), --tsx (run from source),
//        --only=read,account,checkout,push,growth (a subset, while working on one).
// No thresholds anywhere: this reports figures and ratios measured side by side in one run.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { inspect } from 'node:util';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Bench } from './context.js';
import { markdown, writeReport, type Report } from './report.js';
import { pidsNamed } from './cpu.js';
import { Inspector } from './inspector.js';
import { summariseProfiles } from './profile.js';
import { killed, ROOT, stopAllChildren } from './processes.js';
import { seedCustomers, seedOrders, seedProducts, waitForSessions } from './seed.js';
import { dropDatabases } from '../lib/testkit/config.js';
import { dropBrokerTopology } from '../lib/testkit/broker-outside.js';
import { EVENT_TYPES } from '../lib/contracts/events.js';
import { SERVICES } from '../lib/platform/config.js';
import { openPool, rows, type Pool } from './sql.js';
import { logDirFor, startStack, type Stack, type StackPart } from './stack.js';
import { round } from './stats.js';
import { accountPageWorkload } from './workloads/account-page.js';
import { checkoutWorkload } from './workloads/checkout.js';
import { growthWorkload } from './workloads/growth.js';
import { livePushWorkload, probeSubscriptions } from './workloads/live-push.js';
import { readWorkload } from './workloads/read.js';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
/**
 * Our services run from the compiled build (dist/) with plain node, as in production; --tsx runs
 * them from source through tsx instead (no build step, slower). The read ceiling's two small
 * processes run through tsx either way: they are a few lines of ours around Apollo's own code.
 */
const compiled = !args.includes('--tsx');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (w: string) => !only || only.includes(w);
const databaseUrl = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const resultsDir = join(ROOT, 'bench', 'results');
const prefix = `bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

// Sizes: the full run as the issue asks; smoke the same shape, small enough for ~90 s.
const size = smoke
  ? { durationMs: 2000, warmupMs: 1000, accountCustomers: 4, checkoutCustomers: 4, pushCustomers: 5, idle: 200, growthRounds: 1 }
  : { durationMs: 10_000, warmupMs: 3000, accountCustomers: 20, checkoutCustomers: 20, pushCustomers: 50, idle: 5000, growthRounds: 2 };
const growthSizes = smoke
  ? { small: { prefix: `${prefix}_g1k`, orders: 1000 }, large: { prefix: `${prefix}_g10k`, orders: 10_000 } }
  : { small: { prefix: 'benchgrowth10k', orders: 10_000 }, large: { prefix: 'benchgrowth1m', orders: 1_000_000 } };

const profiling = args.includes('--profile');
const profileDir = join(resultsDir, 'profiles', prefix);
// Where a request spends its CPU: the gateway, and the subgraphs the workloads lean on.
// (The gateway always has its inspector: live push reads its heap after a forced GC.)
const PROFILED: StackPart[] = ['gateway', 'order', 'inventory', 'payment'];

const started = Date.now();
const log = (m: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`);

let stack: Stack | null = null;
const pools: Pool[] = [];
let cleaning: Promise<void> | null = null;

/** Stops every service and removes this run's databases and queues; safe to call twice. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await (stack?.stop() ?? Promise.resolve()).catch(() => undefined);
    await stopAllChildren();
    await dropDatabases({ DATABASE_URL: databaseUrl, DB_PREFIX: prefix }).catch((err) => log(`could not drop databases: ${err.message}`));
    // Every queue our services declare, at every retry base delay the bench's settings use.
    const consumers = SERVICES.flatMap((service) => EVENT_TYPES.map((eventType) => ({ service, eventType })));
    await dropBrokerTopology({ amqpUrl, prefix, consumers, retryBaseDelaysMs: [50, 100, 200, 500, 1000] }).catch((err) =>
      log(`could not delete queues: ${err.message}`),
    );
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping every service…`);
    const hardStop = setTimeout(() => process.exit(130), 30_000);
    hardStop.unref();
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const report: Report = {
    mode: smoke ? 'smoke' : 'full',
    startedAt: new Date().toISOString(),
    environment: {},
    failures: {},
    notes: [],
  };
  const server = openPool(databaseUrl, null, 2);
  pools.push(server);
  const [{ v }] = (await rows<{ v: string }>(server, 'SELECT VERSION() AS v')) as [{ v: string }];
  report.environment = {
    node: process.version,
    cpus: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30),
    mariadb: v,
    loadAverageAtStart: loadavg()
      .map((l) => round(l, 2))
      .join(' '),
  };
  log(`${report.mode} run ${prefix} on ${cpus().length} cores, MariaDB ${v}`);

  if (compiled) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  stack = await startStack({ databaseUrl, amqpUrl, prefix, logDir: logDirFor(resultsDir, prefix), inspect: profiling ? PROFILED : ['gateway'], compiled });
  log(
    `services up: ${Object.entries(stack.child)
      .map(([n, c]) => `${n} (pid ${c.pid})`)
      .join(', ')}`,
  );
  const db = {
    order: openPool(databaseUrl, `${prefix}_order`),
    payment: openPool(databaseUrl, `${prefix}_payment`),
    inventory: openPool(databaseUrl, `${prefix}_inventory`),
    server,
  };
  pools.push(db.order, db.payment, db.inventory);

  const products = await seedProducts(databaseUrl, `${prefix}_inventory`, 1000, 1_000_000);
  log(`seeded ${products.length} products`);
  const gw = stack.url.gateway;
  const accountCustomers = await seedCustomers(gw, size.accountCustomers, 'acct');
  const checkoutCustomers = await seedCustomers(gw, size.checkoutCustomers, 'shop');
  const pushCustomers = wanted('push') ? await seedCustomers(gw, size.pushCustomers, 'live') : [];
  log(`signed up ${accountCustomers.length + checkoutCustomers.length + pushCustomers.length} customers`);
  const accountOrders = await seedOrders(gw, accountCustomers, 10, products.slice(400, 500));
  const pushOrders = await seedOrders(gw, pushCustomers, 20, products.slice(200, 400));
  const allOrders = [...accountOrders, ...pushOrders].flatMap((s) => s.orders.map((o) => o.id));
  await waitForSessions(db.order, allOrders, 120_000);
  log(`placed ${allOrders.length} orders for the account page and live push; all waiting for payment`);

  const infrastructure = { mariadb: pidsNamed('mariadbd', 'mysqld'), rabbitmq: pidsNamed('beam.smp') };
  const s = stack;
  const cpuGroups = (extra: Record<string, number[]> = {}) => ({
    ...Object.fromEntries(Object.entries(s.child).map(([part, c]) => [part, [c.pid]])),
    ...infrastructure,
    'load generator': [process.pid],
    ...extra,
  });
  const bench: Bench = { smoke, databaseUrl, amqpUrl, stack, durationMs: size.durationMs, warmupMs: size.warmupMs, db, products, resultsDir, log, cpuGroups };
  const probe = await probeSubscriptions(gw, accountCustomers[0]!, accountOrders[0]!.orders[0]!.id);
  if (!probe.ok) log(`subscriptions unavailable: ${probe.reason}`);

  const step = async <K extends 'read' | 'accountPage' | 'checkout' | 'livePush' | 'growth'>(
    key: K,
    flag: string,
    run: () => Promise<NonNullable<Report[K]>>,
  ) => {
    if (!wanted(flag)) return void (report[key] = { skipped: `not in --only` } as Report[K]);
    if (interrupted) return void (report[key] = { skipped: 'interrupted' } as Report[K]);
    log(`${key}…`);
    const profiles = profiling ? await startProfiles(stack!, key) : null;
    try {
      report[key] = await run();
    } catch (err) {
      report.failures[key] = err instanceof Error ? err.message : inspect(err);
      log(`${key} FAILED: ${err instanceof Error ? err.stack : inspect(err)}`);
    } finally {
      await profiles?.stop();
    }
  };
  await step('read', 'read', () => readWorkload(bench));
  await step('accountPage', 'account', () => accountPageWorkload(bench, accountOrders));
  await step('checkout', 'checkout', () => checkoutWorkload(bench, checkoutCustomers, products.slice(100, 150), probe.ok));
  await step('livePush', 'push', async () => {
    if (!probe.ok) return { available: false as const, reason: probe.reason };
    // Paced at the checkout rate just measured; alone, at 25/s (about what this machine sustains).
    const cps = report.checkout && 'checkoutsPerSecond' in report.checkout ? report.checkout.checkoutsPerSecond : 25;
    return livePushWorkload(bench, pushOrders, accountOrders, Math.max(10, Math.min(200, Math.round(cps))), size.idle);
  });
  // Last: it swaps the order service's database.
  await step('growth', 'growth', () =>
    growthWorkload(bench, checkoutCustomers, products.slice(500), growthSizes, args.includes('--reseed'), size.growthRounds),
  );

  report.environment.loadAverageAtEnd = loadavg()
    .map((l) => round(l, 2))
    .join(' ');
  report.notes.push(
    'Everything shares this machine: services, MariaDB, RabbitMQ, the load generator (and whatever else runs here), so absolute figures vary between runs; the ratios are measured side by side in one run.',
    'Latencies are client-side, including the load generator; RPS are completed responses per second.',
  );
  if (!smoke)
    report.notes.push(
      'Growth data: time-ordered ids in the seed (for seeding speed); placeOrder writes random ids, as in production. The growth databases are kept between runs (--reseed rebuilds them).',
    );
  return report;
}

/** CPU profiles of the profiled services for one workload; a profile that fails is only logged. */
async function startProfiles(s: Stack, workload: string): Promise<{ stop(): Promise<void> }> {
  mkdirSync(profileDir, { recursive: true });
  const running: { part: StackPart; profiler: Inspector }[] = [];
  for (const part of PROFILED) {
    try {
      const profiler = await Inspector.connect(s.inspectPort[part]!);
      await profiler.start();
      running.push({ part, profiler });
    } catch (err) {
      log(`no profile of ${part}: ${(err as Error).message}`);
    }
  }
  return {
    async stop() {
      for (const { part, profiler } of running) {
        await profiler.stopTo(join(profileDir, `${workload}-${part}.cpuprofile`)).catch((err) => log(`profile of ${part} lost: ${(err as Error).message}`));
        profiler.close();
      }
    },
  };
}

let exitCode = 0;
let report: Report | null = null;
try {
  report = await main();
} catch (err) {
  exitCode = 1;
  log(`benchmark failed: ${(err as Error).stack ?? err}`);
} finally {
  log('stopping services and removing this run’s databases and queues');
  await cleanup();
}
if (report) {
  if (killed.length) {
    report.notes.push(
      `Needed SIGKILL after 5 s, not exiting on SIGTERM: ${[...new Set(killed.map((n) => n.replace(/-\d+$/, '')))].join(', ')} (each restart and the final stop waited that long).`,
    );
  }
  report.elapsedSeconds = round((Date.now() - started) / 1000);
  const files = writeReport(resultsDir, report);
  console.log(`\n${markdown(report)}`);
  console.log(`written: ${files.md}, ${files.json}`);
  if (profiling) summariseProfiles(profileDir);
  if (Object.keys(report.failures).length) exitCode = 1;
}
process.exit(exitCode);
