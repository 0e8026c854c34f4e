// Read: one 20-product page through our gateway, the same query straight at the inventory
// subgraph, the ceiling — a stock ApolloGateway over an in-memory subgraph — and Hive Gateway in
// front of the same subgraph processes, all measured the same way in this run. Ours ÷ ceiling is
// what our code and the database cost on top of Apollo; ours ÷ Hive is how we stand against
// another gateway on the very same subgraphs.
import { join } from 'node:path';
import type { Bench } from '../context.js';
import { gql } from '../client.js';
import type { HttpLoad } from '../load.js';
import { inTurnsWithHive, type HiveComparison } from '../hive/compare.js';
import { freePort, spawnChild, waitReady } from '../processes.js';

export const PRODUCT_PAGE = `{ products(first: 20) { nodes { id name price { amount currency } available } } }`;

export interface ReadResult {
  connections: number;
  gateway: HttpLoad;
  inventory: HttpLoad;
  ceiling: HttpLoad;
  /** Our gateway's RPS as a percentage of the stock gateway's. */
  gatewayPctOfCeiling: number;
  /** Our gateway's RPS as a percentage of the subgraph alone (the cost of the extra hop). */
  gatewayPctOfInventory: number;
  /** Hive Gateway (stock, and with the Rust planner) in the same rounds. */
  hive: HiveComparison;
}

const pageOf = (url: string) => async () => (await gql<{ products: { nodes: unknown[] } }>(url, PRODUCT_PAGE)).products.nodes.length === 20;

export async function readWorkload(b: Bench): Promise<ReadResult> {
  // 50 connections: a storefront's concurrency, where a gateway's per-request cost shows.
  const connections = b.smoke ? 8 : 50;

  // The ceiling lives in its own two processes, started only for this workload.
  const [subPort, gwPort] = [await freePort(), await freePort()];
  const logDir = join(b.resultsDir, 'logs', b.stack.prefix);
  const sub = spawnChild('ceiling-subgraph', { args: ['bench/ceiling/memory-subgraph.ts', String(subPort)], env: { NODE_ENV: 'production' }, logDir });
  const gw = spawnChild('ceiling-gateway', {
    args: ['bench/ceiling/stock-gateway.ts', String(gwPort), `http://127.0.0.1:${subPort}`],
    env: { NODE_ENV: 'production' },
    logDir,
  });
  try {
    const ceilingUrl = `http://127.0.0.1:${gwPort}`;
    await waitReady(sub, pageOf(`http://127.0.0.1:${subPort}`));
    await waitReady(gw, pageOf(ceilingUrl));
    for (const url of [b.stack.url.gateway, b.stack.url.inventory]) {
      if (!(await pageOf(url)())) throw new Error(`${url} did not answer a 20-product page`);
    }
    const rounds = b.smoke ? 1 : 3;
    const target = (url: string, cpuGroups: Record<string, number[]>) => ({
      options: { url, query: PRODUCT_PAGE, connections, durationMs: b.durationMs },
      cpuGroups,
    });
    const { loads, hive } = await inTurnsWithHive(
      b,
      {
        ceiling: target(ceilingUrl, b.cpuGroups({ 'ceiling gateway': [gw.pid], 'ceiling subgraph': [sub.pid] })),
        gateway: target(b.stack.url.gateway, b.cpuGroups()),
        inventory: target(b.stack.url.inventory, b.cpuGroups()),
      },
      rounds,
      'read',
    );
    const { ceiling, gateway, inventory } = loads;
    return {
      connections,
      gateway,
      inventory,
      ceiling,
      gatewayPctOfCeiling: pct(gateway.rps, ceiling.rps),
      gatewayPctOfInventory: pct(gateway.rps, inventory.rps),
      hive,
    };
  } finally {
    await Promise.all([gw.stop(), sub.stop()]);
  }
}

export const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : NaN);
