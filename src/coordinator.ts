/**
 * Wires one coordinator instance: store, dispatcher, engine, scheduler, API routes.
 * Internal module; `concord serve` and the tests start instances through it.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ConnectRouter } from "@connectrpc/connect";
import { advertisedAddress, reloadConfig, type Config, type ConfigReload } from "./config.js";
import { authSettingsOf, createAuthenticator, type Authenticator } from "./auth/index.js";
import type { Logger } from "./logger.js";
import { openStore } from "./store/index.js";
import type { Store } from "./store/index.js";
import { createDispatcher, loadBranchTls } from "./dispatch/index.js";
import { createOutboundPolicy, lookupHost, type ResolveHost } from "./protocol/index.js";
import type { Dispatcher } from "./dispatch/index.js";
import {
  CoordinatorEvents,
  Executor,
  createCallGate,
  createInsights,
  createLease,
  createTopics,
  createTransactions,
  createWorkflows,
  logTransactionOutcomes,
} from "./engine/index.js";
import type { RunContext, Topics, Transactions, Workflows } from "./engine/index.js";
import { createScheduler, startRetention } from "./scheduler/index.js";
import type { Scheduler } from "./scheduler/index.js";
import { registerAdminService, registerCoordinatorService, registerTopicService, registerWorkflowService } from "./api/index.js";
import { createDtmService, dtmHttpRoutes, registerDtmGrpcService } from "./dtm/index.js";
import { consoleRoutes, type HttpRoute } from "./server/index.js";
import { createMetrics } from "./metrics.js";
import { startAlertWebhook } from "./alert-webhook.js";
import { packageVersion } from "./version.js";
import { createTracing } from "./tracing.js";
import type { SpanExporter } from "@opentelemetry/sdk-trace";

export interface Coordinator {
  /** Register the RPC services on a Connect router: concord.v1 (coordinator, topics) and dtm's `dtmgimp.Dtm`. */
  routes(router: ConnectRouter): void;
  /** Plain HTTP routes to serve beside them: dtm's `/api/dtmsvr/*` and `/api/json-rpc`, `/metrics`, `/api/metrics`, the console at `/`. */
  readonly httpRoutes: readonly HttpRoute[];
  /** Start the scheduler (claims retries, timeouts and orphans). */
  start(): Promise<void>;
  /**
   * Tell branch services (`dtm-dtm`) where to reach this coordinator from now on: call it once
   * the gRPC server has bound its port. Until then runs send `advertiseAddress` from the config,
   * or `localhost:<configured gRPC port>`.
   */
  advertise(address: string): void;
  /**
   * Shut down, in this order: API calls arriving from now on answer UNAVAILABLE; the scheduler
   * stops claiming (it keeps renewing leases); runs in flight get `shutdownGraceMs` to finish (a wait_result on one that does
   * answers with it); wait_results still waiting then answer UNAVAILABLE (the transaction goes
   * on at another instance); calls still in flight get a bounded moment to end; leases are
   * handed back; the dispatcher and the store close. Keep the listeners open until it resolves,
   * so that those answers reach the clients. Idempotent.
   */
  stop(): Promise<void>;
  /** Where the store is, for the start-up line. */
  describeStore(): string;
  /** Who may call: give it to the server (`ServerOptions.authenticator`). */
  readonly authenticator: Authenticator;
  /** The configuration in force (the start-up one with the live settings of every reload since). */
  config(): Config;
  /**
   * Apply a freshly resolved configuration's live settings (log level, retry defaults, tokens,
   * JWT settings, …; see `reloadConfig`). Everything is checked first — the tokens file read
   * and parsed — so a bad one changes nothing and rejects with why.
   */
  reconfigure(next: Config): Promise<ConfigReload>;
  /** This instance's lease owner id. */
  readonly owner: string;
  readonly events: CoordinatorEvents;
  readonly transactions: Transactions;
  /** The core workflow operations (WorkflowService, dtm's workflow protocol). */
  readonly workflows: Workflows;
  readonly topics: Topics;
  readonly scheduler: Scheduler;
  readonly store: Store;
}

export interface CoordinatorDeps {
  /** Use this store instead of opening one from the config (tests). The caller closes it. */
  readonly store?: Store;
  /** Use this dispatcher (tests). The caller closes it. */
  readonly dispatcher?: Dispatcher;
  /** Aborts opening the store (e.g. waiting for an unreachable Postgres) when a stop is asked for during start-up. */
  readonly signal?: AbortSignal;
  /** Trace into this exporter, span by span (tests; production sets --otlp-endpoint). */
  readonly spanExporter?: SpanExporter;
  /** Resolve branch host names with this instead of the system resolver, at Submit and at call time (tests). */
  readonly resolveHost?: ResolveHost;
}

/** How long stop() waits for API calls still in flight once their waits are answered, ms. */
const callsEndMs = 2000;

export async function createCoordinator(initial: Config, logger: Logger, deps: CoordinatorDeps = {}): Promise<Coordinator> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // The configuration in force; `config` reads it at every use, so a reload's live settings
  // (retry defaults, timeouts, …) apply to the next request without rebuilding anything.
  let current = initial;
  const config = new Proxy({} as Config, { get: (_target, key) => current[key as keyof Config] });
  // Read before anything is opened: a bad tokens file stops the start with its reason.
  const authenticator = createAuthenticator(await authSettingsOf(initial));
  // Likewise a bad --allow-targets entry or an unreadable branch certificate, each named.
  const outboundPolicy = createOutboundPolicy(initial.allowTargets);
  const branchTls = loadBranchTls(initial);
  const resolveHost = deps.resolveHost ?? lookupHost;
  const rawStore =
    deps.store ??
    (await openStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
      logger,
    }));
  const dispatcher =
    deps.dispatcher ??
    createDispatcher({
      breakerFailureThreshold: config.breakerFailureThreshold,
      breakerOpenMs: config.breakerOpenMs,
      services: { maxConcurrency: config.branchMaxConcurrency, ratePerSecond: config.branchRatePerSecond, burst: config.branchRateBurst, services: config.services },
      // Called at branch calls only, once `metrics` exists.
      onServiceWait: (service, waitedMs, admitted) => metrics.serviceWaited(service, waitedMs, admitted),
      outboundPolicy,
      resolveHost,
      ...(branchTls === undefined ? {} : { tls: branchTls }),
      logger,
    });
  // Submit checks targets against the policy the dispatcher holds: a reload replaces both at once.
  const admission = { policy: () => dispatcher.outboundPolicy(), resolve: resolveHost };
  const events = new CoordinatorEvents();
  // The gauges read the executor and the dispatcher when scraped, after they exist.
  const metrics = createMetrics({
    events,
    inFlight: () => executor.inFlight,
    circuits: () => dispatcher.circuits(),
    services: () => dispatcher.services(),
    overview: () => rawStore.overview(0, config.stuckAfterMs),
    logger,
  });
  const store = metrics.measureStore(rawStore);
  const tracing = createTracing({ ...(config.otlpEndpoint ? { otlpEndpoint: config.otlpEndpoint } : {}), ...(deps.spanExporter ? { exporter: deps.spanExporter } : {}) });
  const lease = createLease({ owner, leaseMs: config.leaseMs });
  let advertised = advertisedAddress(config, config.grpcPort);
  const ctx: RunContext = {
    store,
    dispatcher,
    events,
    logger,
    lease,
    // Read at every branch call: the address is learnt once the server has bound its port.
    get advertiseAddress() {
      return advertised;
    },
    get alertAfterAttempts() {
      return current.alertAfterAttempts;
    },
    tracing,
  };
  const executor = new Executor(ctx, config.maxInFlight);
  const calls = createCallGate();
  const topics = createTopics({ store, calls });
  const transactions = createTransactions({
    store,
    executor,
    events,
    lease,
    calls,
    topics,
    logger,
    tracing,
    waitResultTimeoutMs: config.waitResultTimeoutMs,
  });
  const workflows = createWorkflows({ store, events, calls });
  const insights = createInsights({ store, executor, dispatcher, calls });
  const scheduler = createScheduler({ store, executor, events, logger, lease, pollIntervalMs: config.pollIntervalMs });
  const dtm = createDtmService({ transactions, workflows, topics, defaults: config, admission, version: packageVersion() });
  const httpRoutes = [...dtmHttpRoutes(dtm, logger), ...metrics.routes, ...consoleRoutes()];
  const retention =
    config.retentionMs > 0
      ? startRetention({
          store,
          logger,
          ageMs: config.retentionMs,
          intervalMs: config.retentionIntervalMs,
          batchSize: config.retentionBatchSize,
          onDeleted: (n) => metrics.retentionDeleted(n),
        })
      : undefined;
  const alertWebhook = config.alertWebhookUrl === undefined ? undefined : startAlertWebhook(events, { url: config.alertWebhookUrl, logger });
  const stopLogging = logTransactionOutcomes(events, logger);
  let stopped: Promise<void> | undefined;

  async function stop(): Promise<void> {
    transactions.refuseNewCalls();
    // Claim nothing new, but keep renewing the leases of the runs given the grace below: a lease
    // running out mid-call would let another instance call the same branch at the same time.
    await scheduler.stopClaiming();
    const drained = await executor.drain(config.shutdownGraceMs);
    if (!drained) logger.warn("in-flight transactions did not finish within the grace period; handing them back", { gids: lease.held() });
    // Whoever still waits for a result is told to ask elsewhere; the calls themselves end soon
    // after (a read or a write at most), and must, before the store closes under them.
    if (!(await transactions.endCalls(callsEndMs))) logger.warn("API calls still in flight at shutdown; closing the store under them");
    // Runs past the grace: closing the dispatcher cancels their branch calls, so they record what
    // they know and hand back while the store is still open.
    if (!deps.dispatcher) dispatcher.close();
    if (!drained) await executor.drain(callsEndMs);
    await scheduler.stop();
    await retention?.stop();
    try {
      const released = await store.releaseLeases(owner);
      if (released > 0) logger.info("handed back leased transactions", { count: released });
    } catch (error) {
      logger.error("handing back leases failed; they expire by themselves", { error });
    }
    if (!deps.store) await store.close();
    await alertWebhook?.close();
    await tracing.shutdown().catch((error: unknown) => logger.warn("exporting the last spans failed", { error }));
    metrics.close();
    stopLogging();
  }

  return {
    owner,
    events,
    transactions,
    workflows,
    topics,
    scheduler,
    store,
    httpRoutes,
    advertise(address) {
      advertised = address;
    },
    routes(router) {
      registerCoordinatorService(router, transactions, config, admission);
      registerWorkflowService(router, workflows, config, admission);
      registerTopicService(router, topics, admission);
      registerAdminService(router, { transactions, insights, logger, defaults: config });
      registerDtmGrpcService(router, dtm);
    },
    async start() {
      scheduler.start();
    },
    stop() {
      stopped ??= stop();
      return stopped;
    },
    describeStore: () => (config.databaseUrl === undefined ? `embedded:${config.dataDir}` : "postgres"),
    authenticator,
    config: () => current,
    async reconfigure(next) {
      const reload = reloadConfig(current, next);
      // Everything is built (and so checked) before anything changes.
      const auth = await authSettingsOf(reload.config);
      const policy = createOutboundPolicy(reload.config.allowTargets);
      const c = reload.config;
      const governance = { maxConcurrency: c.branchMaxConcurrency, ratePerSecond: c.branchRatePerSecond, burst: c.branchRateBurst, services: c.services };
      dispatcher.configureServices(governance);
      current = c;
      authenticator.update(auth);
      dispatcher.setOutboundPolicy(policy);
      logger.setLevel(c.logLevel);
      return reload;
    },
  };
}
