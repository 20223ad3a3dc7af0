/**
 * How the console writes the API's values: enum names, times, durations, sizes.
 */
import { durationMs, timestampDate, type Duration, type Timestamp } from "@bufbuild/protobuf/wkt";
import { BranchOutcome, CircuitState } from "../../gen/ts/concord/v1/admin_service_pb.js";
import { BranchOp, BranchStatus, Mode, TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";

export const allStatuses = [
  TransactionStatus.PREPARED,
  TransactionStatus.SUBMITTED,
  TransactionStatus.ABORTING,
  TransactionStatus.SUCCEEDED,
  TransactionStatus.FAILED,
] as const;
export const unfinishedStatuses = [TransactionStatus.PREPARED, TransactionStatus.SUBMITTED, TransactionStatus.ABORTING] as const;
export const allModes = [Mode.SAGA, Mode.MSG, Mode.TCC, Mode.XA, Mode.WORKFLOW] as const;

export const statusName = (s: TransactionStatus): string => TransactionStatus[s] ?? `status ${s}`;
export const modeName = (m: Mode): string => Mode[m] ?? `mode ${m}`;
export const branchStatusName = (s: BranchStatus): string => BranchStatus[s] ?? `status ${s}`;
export const opName = (op: BranchOp): string => (BranchOp[op] ?? `op ${op}`).toLowerCase().replace(/_/g, " ");
export const outcomeName = (o: BranchOutcome): string => (BranchOutcome[o] ?? `outcome ${o}`).toLowerCase();
export const circuitStateName = (s: CircuitState): string => (CircuitState[s] ?? `state ${s}`).replace(/_/g, "-");

export function isUnfinished(status: TransactionStatus): boolean {
  return (unfinishedStatuses as readonly TransactionStatus[]).includes(status);
}

/** `TransactionStatus.FAILED` from "FAILED"; undefined for anything else. */
export function statusFromName(name: string): TransactionStatus | undefined {
  return allStatuses.find((s) => statusName(s) === name);
}

export function modeFromName(name: string): Mode | undefined {
  return allModes.find((m) => modeName(m) === name);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Local time, `2026-03-01 14:05:09` (with `.123` when `ms`). */
export function localTime(date: Date, ms = false): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time}${ms ? `.${pad(date.getMilliseconds(), 3)}` : ""}`;
}

export function dateOf(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

/** `in 59 min`, `3 s ago`. */
export function relative(date: Date, now = Date.now()): string {
  const ms = date.getTime() - now;
  const text = humanMs(Math.abs(ms), true);
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** `250 ms`, `3 s`, `1 h 30 min`; `rough` keeps the largest unit only. */
export function humanMs(ms: number, rough = false): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const units: [string, number][] = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["min", 60_000],
    ["s", 1000],
  ];
  const parts: string[] = [];
  let left = ms;
  for (const [name, size] of units) {
    const n = Math.floor(left / size);
    if (n === 0) continue;
    parts.push(`${n} ${name}`);
    left -= n * size;
    if (rough || parts.length === 2) break;
  }
  return parts.join(" ");
}

export function durationText(d: Duration | undefined): string | undefined {
  return d ? humanMs(durationMs(d)) : undefined;
}

export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `12.5 %`, or undefined when there is nothing to divide. */
export function percent(part: bigint, whole: bigint): string | undefined {
  if (whole === 0n) return undefined;
  return `${((Number(part) / Number(whole)) * 100).toFixed(1)} %`;
}
