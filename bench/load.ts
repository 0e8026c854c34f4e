// HTTP load with autocannon (programmatic): many keep-alive connections from one cheap client,
// so the client is not what saturates first. GraphQL answers 200 with `errors`, so every
// response body is checked for them too.
import autocannon from 'autocannon';
import { cpuMeter, perOperation, type CpuSplit } from './cpu.js';
import { round, type Latency } from './stats.js';

export interface HttpLoadOptions {
  url: string;
  /** The GraphQL document, sent as a POST body. */
  query: string;
  /** Bearer tokens, taken in turn per request (none: anonymous). */
  tokens?: string[];
  connections: number;
  durationMs: number;
}

export interface HttpLoad {
  rps: number;
  latencyMs: Latency;
  requests: number;
  /** Connection errors, timeouts, non-2xx and GraphQL errors. */
  errors: number;
  durationS: number;
  /** CPU ms per request in each process (and the rest of the machine), when measured. */
  cpuMsPerRequest?: CpuSplit;
}

export async function httpLoad(o: HttpLoadOptions): Promise<HttpLoad> {
  const body = JSON.stringify({ query: o.query });
  const headers = { 'content-type': 'application/json' };
  let graphqlErrors = 0;
  let next = 0;
  const tokens = o.tokens ?? [];
  const result = await autocannon({
    url: `${o.url}/graphql`,
    connections: o.connections,
    duration: Math.max(1, Math.round(o.durationMs / 1000)),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        body,
        headers,
        setupRequest: (req) => (tokens.length ? { ...req, headers: { ...headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } } : req),
        onResponse: (status, text) => {
          if (status === 200 && text.includes('"errors"')) graphqlErrors++;
        },
      },
    ],
  });
  return {
    rps: round(result.requests.total / result.duration),
    latencyMs: { count: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, mean: round(result.latency.average) },
    requests: result.requests.total,
    errors: result.errors + result.non2xx + graphqlErrors,
    durationS: round(result.duration, 2),
  };
}

/**
 * Several targets (or one) measured in turns: a discarded warm-up of each (JIT, connection pools,
 * query-plan caches), then `rounds` rounds in which
 * each target gets durationMs ÷ rounds. A change in the machine's load (it is shared) then hits
 * every target alike, which sequential runs did not: their ratio moved ±10 points between runs.
 * Requests and CPU add up over the rounds; p50 and p99 are the medians of the rounds'.
 */
export async function loadInTurns<K extends string>(
  targets: Record<K, { options: HttpLoadOptions; cpuGroups?: Record<string, number[]> }>,
  warmupMs: number,
  rounds: number,
): Promise<Record<K, HttpLoad>> {
  const keys = Object.keys(targets) as K[];
  for (const k of keys) await httpLoad({ ...targets[k].options, durationMs: warmupMs });
  const runs = Object.fromEntries(keys.map((k) => [k, [] as { load: HttpLoad; cpu: CpuSplit | null }[]])) as Record<
    K,
    { load: HttpLoad; cpu: CpuSplit | null }[]
  >;
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) {
      const t = targets[k];
      const meter = t.cpuGroups ? cpuMeter(t.cpuGroups) : null;
      const load = await httpLoad({ ...t.options, durationMs: t.options.durationMs / rounds });
      runs[k].push({ load, cpu: meter?.stop() ?? null });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(
    keys.map((k) => {
      const rs = runs[k];
      const requests = rs.reduce((n, r) => n + r.load.requests, 0);
      const durationS = rs.reduce((n, r) => n + r.load.durationS, 0);
      const cpu: CpuSplit = {};
      for (const r of rs) for (const [g, ms] of Object.entries(r.cpu ?? {})) cpu[g] = (cpu[g] ?? 0) + ms;
      const load: HttpLoad = {
        rps: round(requests / durationS),
        latencyMs: {
          count: requests,
          p50: median(rs.map((r) => r.load.latencyMs.p50)),
          p99: median(rs.map((r) => r.load.latencyMs.p99)),
          mean: round(rs.reduce((n, r) => n + r.load.latencyMs.mean * r.load.requests, 0) / Math.max(1, requests)),
        },
        requests,
        errors: rs.reduce((n, r) => n + r.load.errors, 0),
        durationS: round(durationS, 2),
        ...(targets[k].cpuGroups ? { cpuMsPerRequest: perOperation(cpu, requests) } : {}),
      };
      return [k, load];
    }),
  ) as Record<K, HttpLoad>;
}
