// Hive Gateway beside ours, in the same rounds of turns: the same query, the same connections, the
// same four subgraph processes behind both (a supergraph composed for the bench's ports). Stock Hive
// Gateway, and Hive Gateway with Hive Router's Rust query planner when that package loads here; a
// variant that cannot start is reported unavailable with the reason, and the rest still runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench } from '../context.js';
import { loadInTurns, type HttpLoad, type HttpLoadOptions } from '../load.js';
import { freePort, logTail, spawnChild, waitReady, type Child } from '../processes.js';
import { round } from '../stats.js';
import { RUST_PLANNER_LINE } from './gateway.js';
import { composeSupergraph } from '../../lib/platform/schema.js';
import { SERVICES, type ServiceName } from '../../lib/platform/config.js';

export const HIVE_VARIANTS = { hive: 'Hive Gateway 2 (stock JS planner)', hiveRouter: 'Hive Gateway + Rust query planner (router-runtime)' } as const;
export type HiveVariant = keyof typeof HIVE_VARIANTS;

export type HiveSide =
  | {
      available: true;
      load: HttpLoad;
      /** Hive's answers equal ours, byte for byte after JSON parsing, for every checked caller. */
      identical: boolean;
      mismatch?: string;
      /** Ours ÷ Hive: RPS (above 1: ours serves more) and p50 latency (below 1: ours answers sooner). */
      rpsOursOverHive: number;
      p50OursOverHive: number;
    }
  | { available: false; reason: string };

export type HiveComparison = Record<HiveVariant, HiveSide>;

type Target = { options: HttpLoadOptions; cpuGroups?: Record<string, number[]> };

/**
 * Starts the Hive variants, checks their answers against our gateway's, and measures every target
 * in turns (ours must be `gateway`). The Hive processes live only for this call.
 */
export async function inTurnsWithHive<K extends string>(
  b: Bench,
  targets: Record<K | 'gateway', Target>,
  rounds: number,
  workload: string,
): Promise<{ loads: Record<K | 'gateway', HttpLoad>; hive: HiveComparison }> {
  const ours = targets.gateway.options;
  const logDir = join(b.resultsDir, 'logs', b.stack.prefix);
  const supergraphFile = join(logDir, 'hive-supergraph.graphql');
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `${b.stack.url[s]}/graphql`])) as Record<ServiceName, string>;
  writeFileSync(supergraphFile, composeSupergraph(urls));

  const started: Partial<Record<HiveVariant, { child: Child; url: string }>> = {};
  const hive = {} as HiveComparison;
  try {
    // Both at once: each takes seconds to load, and nothing is measured yet.
    await Promise.all(
      (Object.keys(HIVE_VARIANTS) as HiveVariant[]).map(async (variant) => {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const child = spawnChild(`${variant}-${workload}`, {
          args: ['bench/hive/gateway.ts', String(port), supergraphFile, ...(variant === 'hiveRouter' ? ['router'] : [])],
          env: { NODE_ENV: 'production' },
          logDir,
        });
        try {
          await waitReady(child, async () => (await answer(url, ours.query, ours.tokens?.[0])).includes('"data"'), 60_000);
          if (variant === 'hiveRouter' && !logTail(child.logFile, 50).includes(RUST_PLANNER_LINE)) {
            throw new Error('it answered, but never called the Rust query planner (fell back to the JS planner?)');
          }
          started[variant] = { child, url };
        } catch (err) {
          await child.stop();
          hive[variant] = { available: false, reason: oneLine((err as Error).message || logTail(child.logFile, 5)) };
          b.log(`  ${workload}: ${HIVE_VARIANTS[variant]} unavailable: ${hive[variant].reason}`);
        }
      }),
    );
    // Identical answers first: a faster gateway that answers differently is not a comparison.
    const checks: Partial<Record<HiveVariant, { identical: boolean; mismatch?: string }>> = {};
    for (const [variant, s] of Object.entries(started) as [HiveVariant, { url: string }][]) {
      checks[variant] = await sameAnswers(ours.url, s.url, ours.query, ours.tokens?.slice(0, 3) ?? [undefined]);
      if (!checks[variant].identical) b.log(`  ${workload}: ${HIVE_VARIANTS[variant]} answers differently: ${checks[variant].mismatch}`);
    }
    const all = { ...targets } as Record<string, Target>;
    // In HIVE_VARIANTS' order, whichever started first: the same turns in every run.
    for (const variant of (Object.keys(HIVE_VARIANTS) as HiveVariant[]).filter((v) => started[v])) {
      const s = started[variant]!;
      all[variant] = { options: { ...ours, url: s.url }, cpuGroups: b.cpuGroups({ [`${variant === 'hive' ? 'hive' : 'hive+rust'} gateway`]: [s.child.pid] }) };
    }
    b.log(`  ${workload}: ${Object.keys(all).join(', ')} in ${rounds} round(s) of turns, ${ours.connections} connections`);
    const loads = await loadInTurns(all, b.warmupMs, rounds);
    for (const variant of Object.keys(started) as HiveVariant[]) {
      const load = loads[variant]!;
      hive[variant] = {
        available: true,
        load,
        ...checks[variant]!,
        rpsOursOverHive: ratio(loads.gateway!.rps, load.rps),
        p50OursOverHive: ratio(loads.gateway!.latencyMs.p50, load.latencyMs.p50),
      };
    }
    return { loads: loads as Record<K | 'gateway', HttpLoad>, hive };
  } finally {
    await Promise.all(Object.values(started).map((s) => s.child.stop()));
  }
}

/** The raw body of one POST /graphql (the caller parses it: an error body is still an answer). */
async function answer(url: string, query: string, token?: string): Promise<string> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  return res.text();
}

/** Compares `data` and `errors` (not `extensions`, which each gateway fills its own way) for each caller. */
async function sameAnswers(ours: string, theirs: string, query: string, tokens: (string | undefined)[]) {
  for (const token of tokens) {
    const a = canonical(await answer(ours, query, token));
    const b = canonical(await answer(theirs, query, token));
    if (a !== b) {
      const at = [...a].findIndex((c, i) => c !== b[i]);
      return { identical: false, mismatch: `at char ${at}: ours …${a.slice(Math.max(0, at - 40), at + 60)}… Hive …${b.slice(Math.max(0, at - 40), at + 60)}…` };
    }
  }
  return { identical: true };
}

function canonical(body: string): string {
  try {
    const { data, errors } = JSON.parse(body) as { data?: unknown; errors?: { message: string }[] };
    return JSON.stringify({ data, errors: errors?.map((e) => e.message) });
  } catch {
    return body;
  }
}

const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : NaN);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 300);
