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

/** A discarded run first (JIT, connection pools, query-plan caches), then the measured one. */
export async function warmThenLoad(o: HttpLoadOptions, warmupMs: number, cpuGroups?: Record<string, number[]>): Promise<HttpLoad> {
  await httpLoad({ ...o, durationMs: warmupMs });
  const meter = cpuGroups ? cpuMeter(cpuGroups) : null;
  const load = await httpLoad(o);
  return meter ? { ...load, cpuMsPerRequest: perOperation(meter.stop(), load.requests) } : load;
}
