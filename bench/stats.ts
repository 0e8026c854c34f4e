// Latency summaries and a closed-loop load runner (each worker does one thing after another),
// bounded both in time and in count.

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function latency(samplesMs: number[]): Latency {
  if (!samplesMs.length) return { count: 0, p50: NaN, p99: NaN, mean: NaN };
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { count: s.length, p50: round(at(0.5)), p99: round(at(0.99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

export interface LoopResult {
  done: number;
  errors: number;
  /** The first few distinct error messages, with how often each happened. */
  errorSamples: Record<string, number>;
  elapsedMs: number;
}

export interface LoopOptions {
  workers: number;
  durationMs: number;
  /** Upper bound on iterations started, whatever the duration. */
  maxIterations: number;
  iteration: (worker: number, n: number) => Promise<void>;
}

/** Each worker starts iterations until the deadline; in-flight ones finish (they bound themselves). */
export async function closedLoop(o: LoopOptions): Promise<LoopResult> {
  const start = performance.now();
  const deadline = start + o.durationMs;
  let started = 0;
  const result: LoopResult = { done: 0, errors: 0, errorSamples: {}, elapsedMs: 0 };
  await Promise.all(
    Array.from({ length: o.workers }, async (_, w) => {
      while (performance.now() < deadline && started < o.maxIterations) {
        const n = started++;
        try {
          await o.iteration(w, n);
          result.done++;
        } catch (err) {
          result.errors++;
          noteError(result.errorSamples, err);
        }
      }
    }),
  );
  result.elapsedMs = performance.now() - start;
  return result;
}

export function noteError(samples: Record<string, number>, err: unknown) {
  const msg = (err instanceof Error ? err.message : String(err)).slice(0, 160);
  if (msg in samples || Object.keys(samples).length < 5) samples[msg] = (samples[msg] ?? 0) + 1;
}

/** Runs fn over items with at most `concurrency` at a time; returns results in order. */
export async function mapLimit<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls check until truthy, at most timeoutMs; throws naming what it waited for. */
export async function until<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
