/**
 * A closed-loop load generator: N workers each run one operation after another until a deadline,
 * recording every operation's latency. Internal module of `saga-bench.ts`.
 */
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";

export interface LoadOptions {
  /** Workers running at once. */
  readonly concurrency: number;
  /** No operation starts after this long, ms. Operations in flight then are awaited. */
  readonly durationMs: number;
  /** Stops starting operations early (Ctrl-C). */
  readonly signal: AbortSignal;
}

export interface LoadResult {
  /** Operations that resolved. */
  readonly ok: number;
  /** Operations that threw, by message (first 20 distinct messages). */
  readonly errors: ReadonlyMap<string, number>;
  readonly failed: number;
  /** Latencies of the operations that resolved, ms, ascending. */
  readonly latenciesMs: Float64Array;
  /** From the first start until the last operation ended (in-flight ones included), ms. */
  readonly elapsedMs: number;
}

/** Run `operation` in `concurrency` closed loops until the deadline. */
export async function runLoad(operation: () => Promise<void>, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let failed = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;

  async function worker(): Promise<void> {
    while (performance.now() < deadline && !options.signal.aborted) {
      const t0 = performance.now();
      try {
        await operation();
        latencies.push(performance.now() - t0);
      } catch (err) {
        failed++;
        const message = err instanceof Error ? err.message : String(err);
        if (errors.has(message) || errors.size < 20) errors.set(message, (errors.get(message) ?? 0) + 1);
      }
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  return { ok: latencies.length, failed, errors, latenciesMs: Float64Array.from(latencies).sort(), elapsedMs };
}

/** The `q` quantile (0..1) of ascending `sorted` values, nearest rank; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Resolve after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Jiffies the whole machine spent busy and in total, from /proc/stat (undefined off Linux). */
export async function machineCpu(): Promise<{ busy: number; total: number } | undefined> {
  try {
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    // idle + iowait
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
