/**
 * What `make bench-dtm` (dtm-bench.ts) prints: one line per measured run, then a markdown table
 * of the medians per system, the ratios against dtm with a PASS/FAIL line against the goals; the
 * soak's memory samples and slope; the scaling table. Internal module of `dtm-bench.ts`.
 */
import { p50, p99, perSecond, type LoadStats } from "./dtm-bench-ghz.js";

/** The figures of one measured run. */
export interface RunFigures {
  /** System (or scaling setup) name. */
  readonly system: string;
  readonly run: number;
  readonly load: LoadStats;
  readonly sagasPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Δ pg_stat_database.xact_commit of the system's database / OK answers. */
  readonly commitsPerSaga: number;
  /** Transactions that wrote (got a transaction id, cluster-wide) / OK answers: a cross-check of the commits. */
  readonly writeTxPerSaga: number;
  /** utime + stime of the coordinator processes and their children / OK answers. */
  readonly coordinatorCpuMs: number;
  /** The same for every process of the Postgres server. */
  readonly postgresCpuMs: number;
  /** VmRSS of the coordinator processes and their children right after the load, MiB. */
  readonly rssMiB: number;
  /** Sagas stored during the run (warm-up included) that did not succeed, and all stored. */
  readonly notSucceeded: number;
  readonly stored: number;
  /** OK answers of the warm-up and the measured load: what the database should hold as succeeded. */
  readonly answeredOk: number;
}

export function runFigures(
  system: string,
  run: number,
  load: LoadStats,
  m: { commits: number; writeTx: number; coordinatorCpuMs: number; postgresCpuMs: number; rssKb: number; stored: number; notSucceeded: number; answeredOk: number },
): RunFigures {
  const per = (n: number) => (load.ok > 0 ? n / load.ok : Number.NaN);
  return {
    system,
    run,
    load,
    sagasPerSec: perSecond(load),
    p50Ms: p50(load),
    p99Ms: p99(load),
    commitsPerSaga: per(m.commits),
    writeTxPerSaga: per(m.writeTx),
    coordinatorCpuMs: per(m.coordinatorCpuMs),
    postgresCpuMs: per(m.postgresCpuMs),
    rssMiB: m.rssKb / 1024,
    stored: m.stored,
    notSucceeded: m.notSucceeded,
    answeredOk: m.answeredOk,
  };
}

/** Why a run's numbers cannot be trusted, if they cannot. */
export function flags(r: RunFigures): string[] {
  const out: string[] = [];
  if (r.load.failed > 0) out.push(`${r.load.failed} errors`);
  if (r.notSucceeded > 0) out.push(`${r.notSucceeded} stored sagas not succeeded`);
  if (r.stored - r.notSucceeded < r.answeredOk) out.push(`${r.answeredOk} OK answers but ${r.stored - r.notSucceeded} sagas stored as succeeded`);
  if (r.load.ok === 0) out.push("no saga succeeded");
  return out;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

export function runLine(r: RunFigures): string {
  const flagged = flags(r);
  return (
    `${r.system} run ${r.run}: ${fmt(r.sagasPerSec)} sagas/s (${r.load.ok} OK in ${fmt(r.load.seconds, 1)} s), errors ${r.load.failed}, ` +
    `p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms, commits/saga ${fmt(r.commitsPerSaga, 2)} (write transactions ${fmt(r.writeTxPerSaga, 2)}), coordinator CPU ${fmt(r.coordinatorCpuMs, 2)} ms/saga, ` +
    `Postgres CPU ${fmt(r.postgresCpuMs, 2)} ms/saga, coordinator RSS ${fmt(r.rssMiB)} MiB; stored ${r.stored} sagas, ${r.notSucceeded} not succeeded` +
    (flagged.length > 0 ? `  [FLAGGED: ${flagged.join("; ")}]` : "") +
    [...r.load.errors].slice(0, 5).map(([m, n]) => `\n    error x${n}: ${m}`).join("")
  );
}

function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] ?? Number.NaN) : ((v[mid - 1] ?? Number.NaN) + (v[mid] ?? Number.NaN)) / 2;
}

/** Medians of one system's runs. */
export interface Summary {
  readonly system: string;
  readonly runs: number;
  readonly sagasPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly commitsPerSaga: number;
  readonly coordinatorCpuMs: number;
  readonly postgresCpuMs: number;
  readonly rssMiB: number;
  readonly errors: number;
  readonly flaggedRuns: number;
}

export function summarize(system: string, runs: readonly RunFigures[]): Summary {
  const m = (f: (r: RunFigures) => number) => median(runs.map(f));
  return {
    system,
    runs: runs.length,
    sagasPerSec: m((r) => r.sagasPerSec),
    p50Ms: m((r) => r.p50Ms),
    p99Ms: m((r) => r.p99Ms),
    commitsPerSaga: m((r) => r.commitsPerSaga),
    coordinatorCpuMs: m((r) => r.coordinatorCpuMs),
    postgresCpuMs: m((r) => r.postgresCpuMs),
    rssMiB: m((r) => r.rssMiB),
    errors: runs.reduce((n, r) => n + r.load.failed, 0),
    flaggedRuns: runs.filter((r) => flags(r).length > 0).length,
  };
}

/** The markdown table of medians. */
export function summaryTable(rows: readonly Summary[], describe: (system: string) => string): string {
  const lines = [
    "| system | runs | sagas/s | p50 ms | p99 ms | commits/saga | coordinator CPU ms/saga | Postgres CPU ms/saga | coordinator RSS MiB | errors | flagged runs |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of rows) {
    lines.push(
      `| ${describe(s.system)} | ${s.runs} | ${fmt(s.sagasPerSec)} | ${fmt(s.p50Ms)} | ${fmt(s.p99Ms)} | ${fmt(s.commitsPerSaga, 2)} | ${fmt(s.coordinatorCpuMs, 2)} | ${fmt(s.postgresCpuMs, 2)} | ${fmt(s.rssMiB)} | ${s.errors} | ${s.flaggedRuns} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Concord (concord.v1) against dtm, on the medians: ≥ 1.5× dtm-sync's sagas/s, ≥ 1.0× dtm-default's,
 * p99 no higher than either's, ≤ 2 Postgres commits per saga; and no flagged run among them.
 */
export function verdict(rows: readonly Summary[]): string[] {
  const by = (name: string) => rows.find((r) => r.system === name);
  const concord = by("concord");
  if (!concord) return ["verdict: n/a (the concord system was not run)"];
  const lines: string[] = [];
  const failures: string[] = [];
  const check = (ok: boolean, text: string) => {
    lines.push(`  ${ok ? "PASS" : "FAIL"}  ${text}`);
    if (!ok) failures.push(text);
  };
  const goals: [string, number][] = [
    ["dtm-sync", 1.5],
    ["dtm-default", 1.0],
  ];
  lines.push("ratios (medians):");
  for (const [name, goal] of goals) {
    const dtm = by(name);
    if (!dtm) {
      lines.push(`  n/a   sagas/s ÷ ${name}: ${name} was not run`);
      continue;
    }
    const ratio = concord.sagasPerSec / dtm.sagasPerSec;
    check(ratio >= goal, `concord sagas/s ÷ ${name} = ${fmt(concord.sagasPerSec)} / ${fmt(dtm.sagasPerSec)} = ${fmt(ratio, 2)}× (goal ≥ ${goal.toFixed(1)}×)`);
  }
  for (const [name] of goals) {
    const dtm = by(name);
    if (dtm) check(concord.p99Ms <= dtm.p99Ms, `p99: concord ${fmt(concord.p99Ms)} ms vs ${name} ${fmt(dtm.p99Ms)} ms (goal ≤)`);
  }
  check(concord.commitsPerSaga <= 2, `commits/saga: concord ${fmt(concord.commitsPerSaga, 2)} (goal ≤ 2)`);
  const flagged = rows.filter((r) => r.flaggedRuns > 0 && (r.system === "concord" || r.system.startsWith("dtm-")));
  for (const r of flagged) check(false, `${r.system}: ${r.flaggedRuns} flagged run(s) (errors or sagas not stored as succeeded): numbers not comparable`);
  const missing = goals.filter(([name]) => !by(name)).map(([name]) => name);
  lines.push(
    failures.length > 0
      ? `verdict: FAIL (${failures.length} of the goals not met)`
      : missing.length > 0
        ? `verdict: PASS on what was run (${missing.join(", ")} not run)`
        : "verdict: PASS (≥1.5× dtm-sync, ≥1.0× dtm-default, p99 ≤ dtm's, ≤2 commits/saga)",
  );
  return lines;
}

/** Least-squares slope of (minute, MiB) samples, MiB per minute. */
export function slopePerMinute(samples: readonly { atS: number; rssMiB: number }[]): number {
  if (samples.length < 2) return Number.NaN;
  const xs = samples.map((s) => s.atS / 60);
  const ys = samples.map((s) => s.rssMiB);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] ?? my) - my);
    den += (x - mx) ** 2;
  });
  return den > 0 ? num / den : Number.NaN;
}

/** The scaling table: one row per setup (medians over its runs). */
export function scalingTable(rows: readonly Summary[]): string {
  const lines = [
    "| setup | runs | sagas/s | p50 ms | p99 ms | coordinator CPU ms/saga | Postgres CPU ms/saga | commits/saga | coordinator RSS MiB | errors |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of rows) {
    lines.push(
      `| ${s.system} | ${s.runs} | ${fmt(s.sagasPerSec)} | ${fmt(s.p50Ms)} | ${fmt(s.p99Ms)} | ${fmt(s.coordinatorCpuMs, 2)} | ${fmt(s.postgresCpuMs, 2)} | ${fmt(s.commitsPerSaga, 2)} | ${fmt(s.rssMiB)} | ${s.errors} |`,
    );
  }
  return lines.join("\n");
}
