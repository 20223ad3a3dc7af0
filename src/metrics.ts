/**
 * Prometheus metrics (prom-client), served at `/metrics` and at dtm's `/api/metrics`. One
 * registry per coordinator, so several in one process (tests, embedding) do not mix.
 *
 * Counters and histograms are fed by the coordinator's lifecycle events and by timing the
 * store's calls; gauges that describe the whole cluster (stuck transactions, scheduler lag) are
 * read from the store when scraped, at most once a second. docs/operations.md lists every metric
 * with what to alert on; its Grafana dashboard is checked against the names here.
 *
 * In a worker of `concord serve --workers N` a scrape lands on one worker but answers for the
 * whole process: the worker's registry is handed to `answerForProcess`'s source, which gathers
 * every worker's (over the cluster's IPC) and sums them with `aggregateMetrics`. Each metric says
 * how it adds up: counters, histograms and per-instance gauges are summed; the cluster-wide gauges,
 * which every worker reads from the same store, and circuit states take the largest value.
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { CoordinatorEvents } from "./engine/index.js";
import type { CircuitSnapshot, CircuitState, GovernedService } from "./dispatch/index.js";
import type { Logger } from "./logger.js";
import { parseTarget } from "./protocol/index.js";
import type { HttpRoute, HttpRouteRequest } from "./server/index.js";
import { requireScope } from "./auth/index.js";
import type { Store, StoreOverview } from "./store/index.js";

export interface MetricsOptions {
  readonly events: CoordinatorEvents;
  /** How many transactions this instance drives right now. */
  readonly inFlight: () => number;
  /** This instance's circuits that have something to remember. */
  readonly circuits: () => readonly CircuitSnapshot[];
  /** This instance's governed branch services (limits set, or calls in flight or waiting). */
  readonly services: () => readonly GovernedService[];
  /** Cluster-wide figures (stuck count, scheduler lag), read when scraped. */
  readonly overview: () => Promise<StoreOverview>;
  readonly logger: Logger;
}

export interface Metrics {
  readonly registry: Registry;
  /** `GET /metrics` and `GET /api/metrics`. */
  readonly routes: readonly HttpRoute[];
  /** `store` with every call timed into `concord_store_query_duration_seconds`. */
  measureStore(store: Store): Store;
  /** Count transactions retention deleted. */
  retentionDeleted(count: number): void;
  /** A call to a governed branch service (`host:port`) waited `waitedMs` for room, and got it or gave up. */
  serviceWaited(service: string, waitedMs: number, admitted: boolean): void;
  /** Stop counting. */
  close(): void;
}

/** One registry's metrics as `Registry.getMetricsAsJSON()` gives them (what workers send). */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** Where `/metrics` gets the whole process's text from, instead of one coordinator's registry. */
export interface ProcessMetricsSource {
  /** A coordinator's registry was created: the source answers with it from now on. */
  attach(registry: Registry): void;
  /** The metrics of every coordinator of the process, aggregated (Prometheus text). */
  collect(): Promise<string>;
}

let processSource: ProcessMetricsSource | undefined;

/**
 * From now on, coordinators created in this process answer `/metrics` with `source`'s text (a
 * `concord serve` worker: every worker's metrics summed). Unset (the default, and `--workers 1`),
 * a coordinator answers with its own registry.
 */
export function answerForProcess(source: ProcessMetricsSource | undefined): void {
  processSource = source;
}

/**
 * Sum several registries' snapshots into one Prometheus text (prom-client's `AggregatorRegistry`):
 * each metric by its `aggregator` (default sum; see the file's comment).
 */
export async function aggregateMetrics(snapshots: readonly MetricsSnapshot[]): Promise<string> {
  return AggregatorRegistry.aggregate(snapshots as MetricsSnapshot[]).metrics();
}

/** Seconds: from a fast loopback call to a branch at its deadline. */
const callBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: from a fast saga to one that waits for retries. */
const lifetimeBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** Seconds: one statement. */
const queryBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const circuitValues: Readonly<Record<CircuitState, number>> = { closed: 0, "half-open": 1, open: 2 };

export function createMetrics(options: MetricsOptions): Metrics {
  const { events, logger } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const source = processSource;
  source?.attach(registry);
  const registers = [registry];

  const started = new Counter({
    name: "concord_transactions_started_total",
    help: "Transactions stored as submitted (a saga or msg stored and started, or a prepared one submitted), by mode.",
    labelNames: ["mode"],
    registers,
  });
  const finished = new Counter({
    name: "concord_transactions_finished_total",
    help: "Transactions that reached a final status, by mode and status (succeeded, failed).",
    labelNames: ["mode", "status"],
    registers,
  });
  const rollbacks = new Counter({
    name: "concord_transactions_rollbacks_total",
    help: "Transactions that started rolling back (aborting), by mode.",
    labelNames: ["mode"],
    registers,
  });
  const lifetime = new Histogram({
    name: "concord_transaction_duration_seconds",
    help: "From a transaction's creation to its final status (database clock), by mode and status.",
    labelNames: ["mode", "status"],
    buckets: lifetimeBuckets,
    registers,
  });
  const branchCalls = new Counter({
    name: "concord_branch_calls_total",
    help: "Branch calls, by op, outcome (success, failure, ongoing, unknown) and service (the target's host:port).",
    labelNames: ["op", "outcome", "service"],
    registers,
  });
  const branchLatency = new Histogram({
    name: "concord_branch_call_duration_seconds",
    help: "How long branch calls took, by op and service.",
    labelNames: ["op", "service"],
    buckets: callBuckets,
    registers,
  });
  const alerts = new Counter({
    name: "concord_branch_alerts_total",
    help: "Alerts raised for branch ops that keep failing, by op and reason (attempts, max_attempts).",
    labelNames: ["op", "reason"],
    registers,
  });
  const queries = new Histogram({
    name: "concord_store_query_duration_seconds",
    help: "How long the store's calls took, by operation (createTransaction, saveProgress, claimDueTransactions, …).",
    labelNames: ["operation"],
    buckets: queryBuckets,
    registers,
  });
  const retention = new Counter({
    name: "concord_retention_deleted_total",
    help: "Finished transactions deleted by retention.",
    registers,
  });

  // Gauges read when scraped. The cluster-wide ones share one store read a second.
  let overview: { at: number; value: Promise<StoreOverview | undefined> } | undefined;
  const readOverview = (): Promise<StoreOverview | undefined> => {
    if (overview === undefined || performance.now() - overview.at > 1000) {
      const value = options.overview().catch((error: unknown) => {
        logger.warn("metrics: reading the store's figures failed", { error });
        return undefined;
      });
      overview = { at: performance.now(), value };
    }
    return overview.value;
  };
  const fromOverview = (name: string, help: string, read: (o: StoreOverview) => number) =>
    new Gauge({
      name,
      help,
      registers,
      // Every worker reads the same store: summing would count each transaction once per worker.
      aggregator: "max",
      async collect() {
        const o = await readOverview();
        if (o) this.set(read(o));
      },
    });
  fromOverview("concord_transactions_stuck", "Unfinished transactions created longer ago than --stuck-after-ms (cluster-wide).", (o) => o.stuck);
  fromOverview("concord_transactions_unfinished", "Unfinished transactions (cluster-wide).", (o) => o.unfinished);
  fromOverview(
    "concord_scheduler_lag_seconds",
    "How long the oldest due unfinished transaction has waited to be claimed (cluster-wide; 0 when none is due).",
    (o) => o.schedulerLagMs / 1000,
  );
  new Gauge({
    name: "concord_transactions_in_flight",
    help: "Transactions this instance drives right now.",
    registers,
    collect() {
      this.set(options.inFlight());
    },
  });
  // A governed service keeps its series, at 0, once seen: a queue that drained reads 0, not a gap.
  const seenServices = new Set<string>();
  const serviceGauge = (name: string, help: string, read: (s: GovernedService) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["service"],
      registers,
      collect() {
        const now = new Map(options.services().map((s) => [s.address, read(s)]));
        for (const service of now.keys()) seenServices.add(service);
        for (const service of seenServices) this.set({ service }, now.get(service) ?? 0);
      },
    });
  serviceGauge("concord_branch_service_in_flight", "Calls in flight per governed branch service on this instance (limits set, or calls in flight or waiting).", (s) => s.inFlight);
  serviceGauge("concord_branch_service_waiting", "Calls waiting for room (a concurrency cap or rate limit) per governed branch service on this instance.", (s) => s.waiting);
  const serviceWait = new Histogram({
    name: "concord_branch_service_wait_seconds",
    help: "How long calls to a governed branch service waited for room, by service (0 for one admitted at once; a call that gave up counts its whole wait).",
    labelNames: ["service"],
    buckets: callBuckets,
    registers,
  });
  const serviceGaveUp = new Counter({
    name: "concord_branch_service_wait_timeouts_total",
    help: "Calls that found no room at their governed branch service within their deadline (an unknown outcome, retried; not counted by the circuit breaker), by service.",
    labelNames: ["service"],
    registers,
  });

  const seenCircuits = new Set<string>();
  new Gauge({
    name: "concord_circuit_state",
    help: "Circuit breaker state per branch service on this instance: 0 closed, 1 half-open, 2 open.",
    labelNames: ["service"],
    registers,
    // Across workers: the worst state any of them holds.
    aggregator: "max",
    collect() {
      const now = new Map(options.circuits().map((c) => [c.address, circuitValues[c.state]]));
      for (const service of new Set([...seenCircuits, ...now.keys()])) {
        seenCircuits.add(service);
        this.set({ service }, now.get(service) ?? 0);
      }
    },
  });

  const services = new Map<string, string>();
  /** A target's service label: its `host:port` (cached: parsing is per call otherwise). */
  const serviceOf = (target: string): string => {
    let service = services.get(target);
    if (service === undefined) {
      if (services.size >= 10_000) services.clear();
      service = target === "" ? "none" : (parseTarget(target)?.address ?? "invalid");
      services.set(target, service);
    }
    return service;
  };

  const offs = [
    events.on("transaction:submitted", (e) => started.inc({ mode: e.mode })),
    events.on("transaction:finished", (e) => {
      finished.inc({ mode: e.mode, status: e.status });
      lifetime.observe({ mode: e.mode, status: e.status }, e.durationMs / 1000);
    }),
    events.on("transaction:aborting", (e) => rollbacks.inc({ mode: e.mode })),
    events.on("branch:called", (e) => {
      const service = serviceOf(e.target);
      branchCalls.inc({ op: e.op, outcome: e.outcome.kind, service });
      branchLatency.observe({ op: e.op, service }, e.durationMs / 1000);
    }),
    events.on("branch:alert", (e) => alerts.inc({ op: e.op, reason: e.reason })),
  ];

  // With authentication on, a scrape needs the read scope (Prometheus: `authorization` with a bearer token).
  const serve = async (req: HttpRouteRequest) => {
    requireScope(req.principal, "read");
    return { headers: { "content-type": registry.contentType }, body: source ? await source.collect() : await registry.metrics() };
  };
  return {
    registry,
    routes: [
      { methods: ["GET", "HEAD"], path: "/metrics", handle: serve },
      { methods: ["GET", "HEAD"], path: "/api/metrics", handle: serve },
    ],
    measureStore(store) {
      const timed = Object.create(null) as Record<string, unknown>;
      for (const [name, method] of Object.entries(store) as [string, unknown][]) {
        if (typeof method !== "function" || name === "close") {
          timed[name] = method;
          continue;
        }
        const fn = method as (...args: unknown[]) => Promise<unknown>;
        timed[name] = async (...args: unknown[]) => {
          const end = queries.startTimer({ operation: name });
          try {
            return await fn(...args);
          } finally {
            end();
          }
        };
      }
      return timed as unknown as Store;
    },
    retentionDeleted(count) {
      retention.inc(count);
    },
    serviceWaited(service, waitedMs, admitted) {
      serviceWait.observe({ service }, waitedMs / 1000);
      if (!admitted) serviceGaveUp.inc({ service });
    },
    close() {
      for (const off of offs) off();
    },
  };
}
