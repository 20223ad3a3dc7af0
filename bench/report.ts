/**
 * What the benchmark prints: a short table for people, one JSON line for tools.
 * Internal module of `saga-bench.ts`.
 */
import { quantile, type LoadResult } from "./load.js";
import type { DatabaseCounters, StatementCount } from "./postgres.js";

export interface Figures {
  readonly perSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function figures(result: LoadResult): Figures {
  return {
    perSec: result.elapsedMs > 0 ? (result.ok * 1000) / result.elapsedMs : 0,
    p50Ms: quantile(result.latenciesMs, 0.5),
    p99Ms: quantile(result.latenciesMs, 0.99),
  };
}

export interface CommitCounts {
  /** Sagas of the measured window that succeeded. */
  readonly sagas: number;
  /** Counters at the start of the window (stats settled). */
  readonly before: DatabaseCounters;
  /** Counters right after the window's last saga ended (xid and WAL are exact at once). */
  readonly afterDrain: DatabaseCounters;
  /** Counters once Postgres has flushed every backend's statistics. */
  readonly afterSettled: DatabaseCounters;
  /** Commits per second of the idle coordinator (scheduler polls), measured after the run. */
  readonly idleCommitsPerSec: number;
  /** Seconds from the window's start to the settled read (what the idle rate applies to). */
  readonly spanS: number;
}

export interface CommitFigures {
  /** Δ pg_stat_database.xact_commit / sagas: every committed transaction, read-only ones included. */
  readonly commitsPerSaga: number;
  /** The same without the idle scheduler's commits over the span. */
  readonly netCommitsPerSaga: number;
  /** Transactions that wrote (got a transaction id) per saga. */
  readonly writeTxPerSaga: number;
  readonly rollbacks: number;
  readonly walBytesPerSaga: number;
}

export function commitFigures(c: CommitCounts): CommitFigures {
  const per = (n: number) => (c.sagas > 0 ? n / c.sagas : Number.NaN);
  const commits = c.afterSettled.xactCommit - c.before.xactCommit;
  return {
    commitsPerSaga: per(commits),
    netCommitsPerSaga: per(commits - c.idleCommitsPerSec * c.spanS),
    writeTxPerSaga: per(c.afterDrain.nextXid - c.before.nextXid),
    rollbacks: c.afterSettled.xactRollback - c.before.xactRollback,
    walBytesPerSaga: per(c.afterDrain.walLsnBytes - c.before.walLsnBytes),
  };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const pad = (s: string, n: number) => s.padEnd(n);

/** Coordinator CPU per saga and how busy the whole machine was during the window. */
export interface CpuFigures {
  readonly coordinatorMsPerSaga: number;
  readonly machineBusyPct: number;
  readonly cores: number;
}

/** One scenario's measured window. */
export interface ScenarioReport {
  /** Its key (`--scenario`). */
  readonly scenario: string;
  /** What it drives the coordinator with, for people. */
  readonly name: string;
  readonly coordinator: LoadResult;
  readonly commits: CommitFigures;
  readonly memory: { rssKb: number; hwmKb: number } | undefined;
  readonly cpu: CpuFigures;
  readonly statements: readonly StatementCount[];
}

export interface ReportInput {
  readonly concurrency: number;
  readonly durationS: number;
  readonly scenarios: readonly ScenarioReport[];
  readonly baseline: LoadResult;
}

export function printReport(input: ReportInput): void {
  const b = figures(input.baseline);
  const row = (name: string, r: LoadResult, f: Figures) =>
    `  ${pad(name, 30)} ${fmt(f.perSec).padStart(9)} ${fmt(f.p50Ms, 2).padStart(9)} ${fmt(f.p99Ms, 2).padStart(9)} ${String(r.ok).padStart(8)} ${String(r.failed).padStart(7)}`;
  const lines = [
    "",
    `results: 2-step sagas with wait_result (${input.concurrency} workers, ${input.durationS} s measured each)`,
    `  ${pad("", 30)} ${"per sec".padStart(9)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)} ${"ok".padStart(8)} ${"failed".padStart(7)}`,
    ...input.scenarios.map((s) => row(s.name, s.coordinator, figures(s.coordinator))),
    row("baseline (direct gRPC calls)", input.baseline, b),
  ];
  for (const s of input.scenarios) {
    const c = figures(s.coordinator);
    lines.push(
      "",
      `${s.name}`,
      `  ratio to the baseline's throughput: ${fmt(b.perSec > 0 ? c.perSec / b.perSec : Number.NaN, 3)}`,
      `  Postgres per successful saga: commits ${fmt(s.commits.commitsPerSaga, 3)} (target <= 2), without idle polls ${fmt(s.commits.netCommitsPerSaga, 3)}, write transactions ${fmt(s.commits.writeTxPerSaga, 3)}, WAL ${fmt(s.commits.walBytesPerSaga, 0)} bytes; rollbacks in window ${s.commits.rollbacks}`,
      s.memory
        ? `  coordinator memory after the window: VmRSS ${fmt(s.memory.rssKb / 1024)} MiB, peak VmHWM ${fmt(s.memory.hwmKb / 1024)} MiB`
        : "  coordinator memory: n/a (no /proc)",
      `  coordinator CPU: ${fmt(s.cpu.coordinatorMsPerSaga, 2)} ms per saga; machine ${fmt(s.cpu.machineBusyPct, 0)}% busy over ${s.cpu.cores} cores during the window`,
    );
    for (const [message, n] of s.coordinator.errors) lines.push(`  error x${n}: ${message}`);
    if (s.statements.length > 0) lines.push(...statementLines(s.statements, s.coordinator.ok));
  }
  for (const [message, n] of input.baseline.errors) lines.push(`  baseline error x${n}: ${message}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  for (const s of input.scenarios) {
    const c = figures(s.coordinator);
    const json = {
      scenario: s.scenario,
      sagasPerSec: round(c.perSec, 1),
      p50Ms: round(c.p50Ms, 2),
      p99Ms: round(c.p99Ms, 2),
      commitsPerSaga: round(s.commits.commitsPerSaga, 3),
      baselinePerSec: round(b.perSec, 1),
      baselineP50Ms: round(b.p50Ms, 2),
      baselineP99Ms: round(b.p99Ms, 2),
      ratio: round(b.perSec > 0 ? c.perSec / b.perSec : Number.NaN, 3),
      failures: s.coordinator.failed,
      writeTxPerSaga: round(s.commits.writeTxPerSaga, 3),
      coordinatorRssMb: s.memory ? round(s.memory.rssKb / 1024, 1) : null,
      coordinatorCpuMsPerSaga: round(s.cpu.coordinatorMsPerSaga, 3),
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  }
}

function round(n: number, digits: number): number | null {
  return Number.isFinite(n) ? Number(n.toFixed(digits)) : null;
}

/** pg_stat_statements of the window: what each saga costs, statement by statement. */
function statementLines(statements: readonly StatementCount[], sagas: number): string[] {
  const lines = ["statements in the run database (pg_stat_statements, window only)", "  calls/saga  rows/call  wal rec/call  statement"];
  for (const s of statements) {
    if (s.calls / sagas < 0.001) continue;
    const query = s.query.replace(/\s+/g, " ").slice(0, 160);
    lines.push(`  ${fmt(s.calls / sagas, 3).padStart(10)} ${fmt(s.rows / s.calls, 2).padStart(10)} ${fmt(s.walRecords / s.calls, 2).padStart(13)}  ${query}`);
  }
  return lines;
}
