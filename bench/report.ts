// The run's figures as one Markdown table (printed and written) and as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Latency } from './stats.js';
import type { AccountPageResult } from './workloads/account-page.js';
import type { CheckoutResult } from './workloads/checkout.js';
import type { GrowthResult } from './workloads/growth.js';
import type { LivePushOutcome } from './workloads/live-push.js';
import type { ReadResult } from './workloads/read.js';
import { HIVE_VARIANTS, type HiveComparison, type HiveVariant } from './hive/compare.js';

export interface Report {
  mode: 'smoke' | 'full';
  startedAt: string;
  elapsedSeconds?: number;
  environment: Record<string, unknown>;
  read?: ReadResult | { skipped: string };
  accountPage?: AccountPageResult | { skipped: string };
  checkout?: CheckoutResult | { skipped: string };
  livePush?: LivePushOutcome | { skipped: string };
  growth?: GrowthResult | { skipped: string };
  failures: Record<string, string>;
  notes: string[];
}

type Row = [workload: string, figure: string, value: string];

const ms = (l: Latency) => `p50 ${l.p50} ms · p99 ${l.p99} ms`;
const num = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en') : 'n/a');
const skipped = (x: unknown): x is { skipped: string } => !!x && typeof x === 'object' && 'skipped' in x;

function rowsOf(r: Report): Row[] {
  const out: Row[] = [];
  const add = (w: string, f: string, v: string) => out.push([w, f, v]);
  for (const [name, failure] of Object.entries(r.failures)) add(name, 'FAILED', failure.replace(/\s+/g, ' ').slice(0, 200));
  for (const [name, x] of Object.entries({ read: r.read, 'account page': r.accountPage, checkout: r.checkout, 'live push': r.livePush, growth: r.growth })) {
    if (skipped(x)) add(name, 'skipped', x.skipped);
  }
  if (r.read && !skipped(r.read)) {
    const x = r.read;
    add(
      'read',
      `our gateway, 20-product page (${x.connections} connections)`,
      `${num(x.gateway.rps)} req/s · ${ms(x.gateway.latencyMs)} · ${x.gateway.errors} errors`,
    );
    add('read', 'inventory subgraph alone, same query', `${num(x.inventory.rps)} req/s · ${ms(x.inventory.latencyMs)} · ${x.inventory.errors} errors`);
    add('read', 'ceiling: stock ApolloGateway + in-memory subgraph', `${num(x.ceiling.rps)} req/s · ${ms(x.ceiling.latencyMs)} · ${x.ceiling.errors} errors`);
    add('read', '**ours ÷ ceiling**', `**${x.gatewayPctOfCeiling} %**`);
    add('read', 'ours ÷ inventory alone', `${x.gatewayPctOfInventory} %`);
    add('read', 'CPU per request, our gateway', cpu(x.gateway.cpuMsPerRequest, 'request'));
    add('read', 'CPU per request, ceiling', cpu(x.ceiling.cpuMsPerRequest, 'request'));
    hiveRows('read', x.hive, add);
  }
  if (r.accountPage && !skipped(r.accountPage)) {
    const x = r.accountPage;
    add(
      'account page',
      `me { orders … }, ${x.customers} customers × ${x.ordersPerCustomer} orders (${x.connections} connections)`,
      `${num(x.gateway.rps)} req/s · ${ms(x.gateway.latencyMs)} · ${x.gateway.errors} errors`,
    );
    add('account page', 'CPU per request, our gateway', cpu(x.gateway.cpuMsPerRequest, 'request'));
    hiveRows('account page', x.hive, add);
  }
  if (r.checkout && !skipped(r.checkout)) {
    const x = r.checkout;
    add(
      'checkout',
      `completed checkouts/s (${x.customers} customers, ${x.waitMode})`,
      `${num(x.checkoutsPerSecond)} /s · ${x.completed} completed · ${x.outOfStock} out of stock · ${x.errors} errors`,
    );
    add('checkout', 'placeOrder', ms(x.placeOrderMs));
    add('checkout', 'hosted payment page: load · Pay click → emulator 200', `${ms(x.payPageMs)} · ${ms(x.paySubmitMs)}`);
    add('checkout', '**Pay click → PAID pushed**', `**${ms(x.payClickToPaidMs)}**`);
    const w = x.webhook;
    add(
      'checkout',
      "emulator's webhook: queued → payment's 200 (its log)",
      `${ms(w.deliveryMs)} · ${w.retried} retried${w.missing ? ` · ${w.missing} not in the log` : ''}`,
    );
    add('checkout', 'whole path placeOrder → PAID pushed', ms(x.wholePathMs));
    add('checkout', `oversold units (${x.stock.products} products, 5 scarce)`, `**${x.stock.oversoldUnits}** (stock mismatches: ${x.stock.mismatchedUnits})`);
    add('checkout', 'CPU per settled checkout, each process', cpu(x.cpuMsPerCheckout, 'checkout'));
    add('checkout', '**CPU per settled checkout, ours** (services + MariaDB + RabbitMQ)', `**${num(x.oursCpuMsPerCheckout)} ms**`);
    const [idle0, idle1] = x.transactions.backgroundCommitsPerSecondBeforeAfter ?? [x.transactions.backgroundCommitsPerSecond, NaN];
    add(
      'checkout',
      'DB transactions · statements per checkout (SHOW GLOBAL STATUS)',
      `${num(x.transactions.perCheckout)} · ${num(x.transactions.queriesPerCheckout)} (server idle ${idle0} / ${idle1} commits/s before / after, subtracted)`,
    );
    add(
      'checkout',
      `DB ceiling: raw 3-statement transactions, pool ${x.dbCeiling.poolSize}`,
      `${num(x.dbCeiling.transactionsPerSecond)} tx/s · ${ms(x.dbCeiling.latencyMs)}`,
    );
    add('checkout', 'DB ceiling in checkouts (tx/s ÷ tx per checkout)', `${num(x.dbCeilingCheckoutsPerSecond)} /s`);
    add('checkout', '**checkouts ÷ DB ceiling**', `**${num(x.pctOfDbCeiling)} %**`);
  }
  if (r.livePush && !skipped(r.livePush)) {
    const x = r.livePush;
    if (!x.available) add('live push', 'subscriptions', `unavailable: ${x.reason}`);
    else {
      add(
        'live push',
        `webhook 200 → PAID push (${x.subscriptions} open subscriptions, ${x.paid} paid at ${x.webhookRate}/s)`,
        `${ms(x.pushMs)} · ${x.missedPushes} missed`,
      );
      add('live push', 'the webhook itself', ms(x.webhookMs));
      add('live push', '**push p99 ÷ webhook p50**', `**${x.pushP99OverWebhookP50}×**`);
      const l = x.light;
      add(
        'live push',
        `the same, ${l.paid} paid at ${l.webhookRate}/s`,
        `push ${ms(l.pushMs)} · webhook ${ms(l.webhookMs)} · ${l.missedPushes} missed · p99 ÷ p50 ${l.pushP99OverWebhookP50}×`,
      );
      const i = x.idle;
      add('live push', `${num(i.subscriptions)} idle subscriptions (${i.connections} connections)`, `opened at ${num(i.openedPerSecond)} /s`);
      add('live push', 'gateway RSS before → after', `${mb(i.rssBeforeBytes)} → ${mb(i.rssAfterBytes)} (${kib(i.bytesPerSubscription)} per subscription)`);
      add('live push', 'gateway V8 heap after GC, before → after', `${mb(i.heapBeforeBytes)} → ${mb(i.heapAfterBytes)}`);
      add('live push', '**gateway memory per subscription (heap after GC)**', `**${kib(i.heapBytesPerSubscription)}**`);
    }
  }
  if (r.growth && !skipped(r.growth)) {
    const x = r.growth;
    for (const s of [x.small, x.large]) {
      add(
        'growth',
        `placeOrder with ${num(s.orders)} orders in the order DB (${x.concurrency} at a time)`,
        `${ms(s.placeOrderMs)} · ${s.placed} placed · ${s.errors} errors${s.seeded ? ` · seeded in ${s.seedSeconds} s` : ''}`,
      );
    }
    add('growth', `**p50 ratio ${num(x.large.orders)} ÷ ${num(x.small.orders)}**`, `**${x.p50Ratio}×** (p99 ${x.p99Ratio}×)`);
  }
  return out;
}

/** Each Hive variant beside ours: its load, whether it answered as ours did, and ours ÷ it. */
function hiveRows(workload: string, h: HiveComparison | undefined, add: (w: string, f: string, v: string) => void) {
  for (const [variant, label] of Object.entries(HIVE_VARIANTS) as [HiveVariant, string][]) {
    const side = h?.[variant];
    if (!side) continue;
    if (!side.available) {
      add(workload, label, `unavailable: ${side.reason}`);
      continue;
    }
    const l = side.load;
    if (!l.requests) {
      // A page slower than the turn itself (a busy machine, a smoke run's short turns): nothing to compare.
      add(workload, `${label}, same subgraphs`, `no response completed within its ${l.durationS} s`);
      continue;
    }
    const same = side.identical ? 'answers identical to ours' : `**answers differ**: ${side.mismatch}`;
    add(workload, `${label}, same subgraphs`, `${num(l.rps)} req/s · ${ms(l.latencyMs)} · ${l.errors} errors · ${same}`);
    add(workload, `**ours ÷ ${label}**`, `**${side.rpsOursOverHive}× RPS** · ${side.p50OursOverHive}× p50 latency`);
    add(workload, `CPU per request, ${label}`, cpu(l.cpuMsPerRequest, 'request'));
  }
}

const cpu = (split: Record<string, number> | undefined, unit: string) =>
  split && Object.keys(split).length
    ? `${Object.entries(split)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ')} (ms per ${unit})`
    : 'n/a';

const kib = (b: number | null) => (b === null ? 'n/a' : `${(b / 1024).toFixed(1)} KiB`);
const mb = (b: number | null) => (b === null ? 'n/a' : `${(b / 1048576).toFixed(1)} MiB`);

export function markdown(r: Report): string {
  const table = ['| workload | figure | value |', '|---|---|---|', ...rowsOf(r).map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)];
  const env = Object.entries(r.environment)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
  return [
    `# checkout-supergraph benchmark (${r.mode})`,
    '',
    `${r.startedAt} · ${r.elapsedSeconds ?? '?'} s · ${env}`,
    '',
    ...table,
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

export function writeReport(dir: string, r: Report): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const md = join(dir, 'report.md');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdown(r));
  return { json, md };
}
