// npm run bench:tracing — what tracing costs: one federated query through the gateway, with the
// whole system in one process three times over, measured one after the other in one run:
// tracing off (OTEL_SDK_DISABLED), trace ids without recorded spans (the default), and exported over
// OTLP/HTTP to a local sink that accepts and drops them. Ratios to the untraced run; no thresholds.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpLoad } from './load.js';
import { freePort, httpOk, spawnChild, stopAllChildren, waitReady } from './processes.js';
import { freshProductionSecrets } from '../lib/testkit/config.js';

const smoke = process.argv.includes('--smoke');
const durationMs = smoke ? 2000 : 10_000;
const QUERY = '{ products(first: 20) { nodes { id name price { amount currency } available } } }';

/** An OTLP/HTTP endpoint that answers 200 and keeps nothing, so exporting costs what it costs. */
async function otlpSink(): Promise<{ url: string; received: () => number; close: () => void }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, received: () => received, close: () => server.close() };
}

/** Starts the whole system in one process with these settings; returns its gateway URL. */
async function startSystem(name: string, env: Record<string, string>) {
  const ports = await Promise.all(Array.from({ length: 6 }, freePort));
  const [g, a, i, o, p, s] = ports.map(String);
  const child = spawnChild(`tracing-${name}`, {
    args: ['bin/start.ts'],
    logDir: join(tmpdir(), 'checkout-bench-tracing'),
    env: {
      // Production, as deployed, with secrets of its own (production refuses published ones).
      ...freshProductionSecrets('bench@example.com'),
      // The query reads the demo catalog, which production no longer seeds by default.
      SEED_DEMO: 'true',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'checkout-bench-tracing-')),
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      GATEWAY_PORT: g!,
      ACCOUNT_PORT: a!,
      INVENTORY_PORT: i!,
      ORDER_PORT: o!,
      PAYMENT_PORT: p!,
      STRIPE_EMULATOR_PORT: s!,
      STRIPE_EMULATOR_URL: `http://127.0.0.1:${s}`,
      ...Object.fromEntries(['ACCOUNT', 'INVENTORY', 'ORDER', 'PAYMENT'].map((n, k) => [`${n}_URL`, `http://127.0.0.1:${ports[k + 1]}`])),
      ...env,
    },
  });
  const url = `http://127.0.0.1:${g}`;
  await waitReady(child, httpOk(`${url}/health/live`));
  await httpLoad({ url, query: QUERY, connections: 16, durationMs: Math.min(3000, durationMs) }); // warm-up
  return url;
}

async function main() {
  const sink = await otlpSink();
  try {
    const configs: { name: string; env: Record<string, string> }[] = [
      { name: 'off (OTEL_SDK_DISABLED)', env: { OTEL_SDK_DISABLED: 'true' } },
      { name: 'spans, no exporter (default)', env: {} },
      { name: 'spans exported over OTLP', env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } },
    ];
    const urls = await Promise.all(configs.map((c, k) => startSystem(String(k), c.env)));
    // Side by side: the three take turns in short rounds, so a change in the machine's load hits all.
    const totals = configs.map(() => ({ requests: 0, seconds: 0, errors: 0, p50: [] as number[], p99: [] as number[] }));
    for (let round = 0; round < 3; round++) {
      for (const [k, url] of urls.entries()) {
        const r = await httpLoad({ url, query: QUERY, connections: 16, durationMs: durationMs / 3 });
        const t = totals[k]!;
        t.requests += r.requests;
        t.seconds += r.durationS;
        t.errors += r.errors;
        t.p50.push(r.latencyMs.p50);
        t.p99.push(r.latencyMs.p99);
      }
    }
    const rps = totals.map((t) => t.requests / t.seconds);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    console.log('| tracing | req/s | p50 (median of rounds) | p99 (median of rounds) | ÷ untraced |');
    console.log('|---|---|---|---|---|');
    for (const [k, c] of configs.entries()) {
      const t = totals[k]!;
      console.log(`| ${c.name} | ${rps[k]!.toFixed(1)} | ${median(t.p50)} ms | ${median(t.p99)} ms | ${((rps[k]! / rps[0]!) * 100).toFixed(1)} % |`);
    }
    console.log(`\nOTLP export requests received by the sink: ${sink.received()}; errors: ${totals.reduce((n, t) => n + t.errors, 0)}`);
  } finally {
    sink.close();
    await stopAllChildren();
  }
}

main().catch(async (err) => {
  console.error(err);
  await stopAllChildren();
  process.exit(1);
});
