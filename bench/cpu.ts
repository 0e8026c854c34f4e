// Where the machine's CPU went during a measurement: each service process, MariaDB, RabbitMQ, the
// load generator, and everything else on the machine (other people's work shows up there).
// Read from /proc (Linux); elsewhere the figures are simply absent.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function processTicks(pid: number): number | null {
  try {
    // Fields after the command (which may contain spaces): utime is 14th, stime 15th overall.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

function machineBusyTicks(): number | null {
  try {
    const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
    return v.slice(0, 8).reduce((a, b) => a + b, 0) - v[3]! - v[4]!;
  } catch {
    return null;
  }
}

/** Pids of processes whose command name is one of `names` (e.g. mariadbd, beam.smp). */
export function pidsNamed(...names: string[]): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return names.includes(readFileSync(`/proc/${d}/comm`, 'utf8').trim());
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

export type CpuSplit = Record<string, number>;

/** Starts counting; stop() gives CPU milliseconds per named group, plus `other` (the rest of the machine). */
export function cpuMeter(groups: Record<string, number[]>): { stop(): CpuSplit } {
  const sum = (pids: number[]) => pids.reduce((s, p) => s + (processTicks(p) ?? 0), 0);
  const before = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids)]));
  const machine0 = machineBusyTicks();
  return {
    stop() {
      const out: CpuSplit = {};
      for (const [k, pids] of Object.entries(groups)) out[k] = (sum(pids) - before[k]!) * TICK_MS;
      const machine1 = machineBusyTicks();
      if (machine0 !== null && machine1 !== null) {
        const ours = Object.values(out).reduce((a, b) => a + b, 0);
        out.other = Math.max(0, (machine1 - machine0) * TICK_MS - ours);
      }
      return out;
    },
  };
}

/**
 * CPU ms per operation, per group, rounded; groups under 1 % of the total are folded into `rest`
 * (unless `fold` is false: every process on its own, as the checkout's figures show them).
 */
export function perOperation(split: CpuSplit, operations: number, fold = true): CpuSplit {
  if (!operations) return {};
  const total = Object.values(split).reduce((a, b) => a + b, 0);
  const out: CpuSplit = {};
  for (const [k, ms] of Object.entries(split).sort((a, b) => b[1] - a[1])) {
    const key = fold && ms < total / 100 ? 'rest' : k;
    out[key] = (out[key] ?? 0) + ms / operations;
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]! * 100) / 100;
  return out;
}
