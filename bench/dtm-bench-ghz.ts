/**
 * The load of `make bench-dtm` (dtm-bench.ts): ghz (.bin/ghz, `make grpc-tools`) with this
 * repository's .proto files (no reflection), one 2-step saga with wait_result per request, a gid
 * per request from ghz's {{.UUID}} template. Internal module of `dtm-bench.ts`.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { quantile } from "./load.js";
import { spawnTracked } from "./dtm-bench-procs.js";
import { ghzBin, repoRoot } from "./dtm-bench-systems.js";

/** The request of one saga, as ghz sends it. */
export interface SagaCall {
  /** `package.Service/Method`. */
  readonly call: string;
  /** The .proto file, relative to proto/. */
  readonly proto: string;
  /** ghz data file (JSON with Go template actions). */
  readonly dataFile: string;
}

/** A gid no two requests share: ghz fills in a UUID per request. [A-Za-z0-9_.:-], 39 characters. */
const gid = (prefix: string) => `${prefix}-{{.UUID}}`;

/** Whether proto/ has `SubmitRequest.view` (TransactionView), which another change adds. */
export async function protoHasSubmitView(): Promise<boolean> {
  const text = await readFile(join(repoRoot, "proto", "concord", "v1", "coordinator_service.proto"), "utf8");
  const body = /message SubmitRequest \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? "";
  return /\bTransactionView\s+view\s*=/.test(body);
}

/**
 * concord.v1 Submit: MODE_SAGA, two steps whose actions and compensations are gRPC targets on the
 * Go branch server, wait_result, and the BASIC view (the answer without spec, branches or
 * payloads) when the contract has it.
 */
export async function concordSagaCall(tempDir: string, target: (method: string) => string, payload: Buffer, view: boolean): Promise<SagaCall> {
  const step = (action: string, compensate: string) => ({ action: target(action), compensate: target(compensate), payload: payload.toString("base64") });
  const data = {
    gid: gid("cb"),
    mode: "MODE_SAGA",
    options: { waitResult: true },
    saga: { steps: [step("TransOut", "TransOutCompensate"), step("TransIn", "TransInCompensate")] },
    ...(view ? { view: "TRANSACTION_VIEW_BASIC" } : {}),
  };
  const dataFile = join(tempDir, "concord-submit.json");
  await writeFile(dataFile, JSON.stringify(data));
  return { call: "concord.v1.CoordinatorService/Submit", proto: "concord/v1/coordinator_service.proto", dataFile };
}

/**
 * dtmgimp.Dtm Submit as dtm's Go SDK (dtmgrpc.SagaGrpc.Submit, v1.19.0) sends it: trans_type
 * saga, steps as a JSON string of {action, compensate} in dtm's gRPC form
 * (host:port/package.Service/Method), one BinPayload per step, WaitResult in the options.
 */
export async function dtmSagaCall(tempDir: string, target: (method: string) => string, payload: Buffer): Promise<SagaCall> {
  const steps = [
    { action: target("TransOut"), compensate: target("TransOutCompensate") },
    { action: target("TransIn"), compensate: target("TransInCompensate") },
  ];
  const data = {
    Gid: gid("db"),
    TransType: "saga",
    TransOptions: { WaitResult: true },
    BinPayloads: [payload.toString("base64"), payload.toString("base64")],
    Steps: JSON.stringify(steps),
  };
  const dataFile = join(tempDir, "dtm-submit.json");
  await writeFile(dataFile, JSON.stringify(data));
  return { call: "dtmgimp.Dtm/Submit", proto: "dtmgimp/dtmgimp.proto", dataFile };
}

/** What one or more ghz processes measured. */
export interface LoadStats {
  /** Answers with status OK. */
  readonly ok: number;
  /** Every other answer. */
  readonly failed: number;
  /** Error messages and their counts (ghz's errorDistribution). */
  readonly errors: ReadonlyMap<string, number>;
  /** Wall time of the load (the longest ghz process), s. */
  readonly seconds: number;
  /** Latencies of the OK answers, ms, ascending. */
  readonly latenciesMs: Float64Array;
}

export const perSecond = (s: LoadStats) => (s.seconds > 0 ? s.ok / s.seconds : 0);
export const p50 = (s: LoadStats) => quantile(s.latenciesMs, 0.5);
export const p99 = (s: LoadStats) => quantile(s.latenciesMs, 0.99);

export interface GhzOptions {
  readonly saga: SagaCall;
  /** gRPC `host:port` of the coordinator. */
  readonly address: string;
  readonly concurrency: number;
  readonly connections: number;
  /** How long to load, s; or, with `total`, how many requests to send instead. */
  readonly durationS: number;
  readonly total?: number;
  /** Where ghz writes its JSON report. */
  readonly outFile: string;
  readonly signal: AbortSignal;
}

interface GhzReport {
  count?: number;
  total?: number;
  statusCodeDistribution?: Record<string, number>;
  errorDistribution?: Record<string, number>;
  details?: { latency: number; status: string }[];
}

/** One ghz process for `durationS` (in-flight requests are awaited: --duration-stop wait) or `total` requests. */
export async function runGhz(options: GhzOptions): Promise<LoadStats> {
  const connections = Math.max(1, Math.min(options.connections, options.concurrency));
  const args = [
    "--insecure",
    "--proto",
    join(repoRoot, "proto", options.saga.proto),
    "--import-paths",
    join(repoRoot, "proto"),
    "--call",
    options.saga.call,
    "--data-file",
    options.saga.dataFile,
    "--concurrency",
    String(options.concurrency),
    "--connections",
    String(connections),
    ...(options.total === undefined ? ["--duration", `${options.durationS}s`, "--duration-stop", "wait"] : ["--total", String(options.total)]),
    "--timeout",
    "10s",
    "--format",
    "json",
    "--output",
    options.outFile,
    options.address,
  ];
  const proc = spawnTracked(ghzBin, args);
  const onAbort = () => void proc.stop(3000, "SIGINT");
  options.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const how = await proc.exited;
    if (options.signal.aborted) throw new Error("interrupted");
    if (how !== "exit code 0") throw new Error(`ghz ended with ${how}:\n${proc.output()}`);
    const report = JSON.parse(await readFile(options.outFile, "utf8")) as GhzReport;
    const ok = report.statusCodeDistribution?.OK ?? 0;
    const latencies = (report.details ?? []).filter((d) => d.status === "OK").map((d) => d.latency / 1e6);
    return {
      ok,
      failed: (report.count ?? 0) - ok,
      errors: new Map(Object.entries(report.errorDistribution ?? {})),
      seconds: (report.total ?? 0) / 1e9,
      latenciesMs: Float64Array.from(latencies).sort(),
    };
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    await rm(options.outFile, { force: true });
  }
}

/** ghz against each address at once, the concurrency split between them; the results merged. */
export async function runGhzEach(
  addresses: readonly string[],
  options: Omit<GhzOptions, "address" | "outFile">,
  outPrefix: string,
): Promise<LoadStats> {
  const share = (i: number) => Math.floor(options.concurrency / addresses.length) + (i < options.concurrency % addresses.length ? 1 : 0);
  const results = await Promise.all(
    addresses.map((address, i) => runGhz({ ...options, address, concurrency: Math.max(1, share(i)), outFile: `${outPrefix}-${i}.json` })),
  );
  const errors = new Map<string, number>();
  for (const r of results) for (const [m, n] of r.errors) errors.set(m, (errors.get(m) ?? 0) + n);
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latenciesMs.length, 0));
  let at = 0;
  for (const r of results) {
    latencies.set(r.latenciesMs, at);
    at += r.latenciesMs.length;
  }
  return {
    ok: results.reduce((n, r) => n + r.ok, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    errors,
    seconds: Math.max(0, ...results.map((r) => r.seconds)),
    latenciesMs: latencies.sort(),
  };
}
