/**
 * Wires one coordinator instance: store, dispatcher, engine, scheduler, API routes.
 * Internal module; `concord serve` and the tests start instances through it.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { openStore } from "./store/index.js";
import type { Store } from "./store/index.js";
import { createDispatcher } from "./dispatch/index.js";
import type { Dispatcher } from "./dispatch/index.js";
import { CoordinatorEvents, Executor, createTransactions } from "./engine/index.js";
import type { Transactions } from "./engine/index.js";
import { createScheduler } from "./scheduler/index.js";
import type { Scheduler } from "./scheduler/index.js";
import { registerCoordinatorService } from "./api/index.js";

export interface Coordinator {
  /** Register concord.v1.CoordinatorService on a Connect router. */
  routes(router: ConnectRouter): void;
  /** Start the scheduler (claims retries, timeouts and orphans). */
  start(): Promise<void>;
  /**
   * Stop taking work, let in-flight runs finish within `shutdownGraceMs`, hand back whatever is
   * still held, close the dispatcher and the store. Idempotent.
   */
  stop(): Promise<void>;
  /** Where the store is, for the start-up line. */
  describeStore(): string;
  /** This instance's lease owner id. */
  readonly owner: string;
  readonly events: CoordinatorEvents;
  readonly transactions: Transactions;
  readonly scheduler: Scheduler;
  readonly store: Store;
}

export interface CoordinatorDeps {
  /** Use this store instead of opening one from the config (tests). The caller closes it. */
  readonly store?: Store;
  /** Use this dispatcher (tests). The caller closes it. */
  readonly dispatcher?: Dispatcher;
}

export async function createCoordinator(config: Config, logger: Logger, deps: CoordinatorDeps = {}): Promise<Coordinator> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const store = deps.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, logger }));
  const dispatcher =
    deps.dispatcher ?? createDispatcher({ breakerFailureThreshold: config.breakerFailureThreshold, breakerOpenMs: config.breakerOpenMs, logger });
  const events = new CoordinatorEvents();
  const ctx = { store, dispatcher, events, logger, owner, leaseMs: config.leaseMs, advertiseAddress: config.advertiseAddress };
  const executor = new Executor(ctx, config.maxInFlight);
  const transactions = createTransactions({ store, executor, events, owner, leaseMs: config.leaseMs, waitResultTimeoutMs: config.waitResultTimeoutMs });
  const scheduler = createScheduler({ store, executor, events, logger, owner, leaseMs: config.leaseMs, pollIntervalMs: config.pollIntervalMs });
  let stopped: Promise<void> | undefined;

  async function stop(): Promise<void> {
    await scheduler.stop();
    const drained = await executor.drain(config.shutdownGraceMs);
    if (!drained) logger.warn("in-flight transactions did not finish within the grace period; handing them back", { gids: executor.inFlightGids() });
    try {
      const released = await store.releaseLeases(owner);
      if (released > 0) logger.info("handed back leased transactions", { count: released });
    } catch (error) {
      logger.error("handing back leases failed; they expire by themselves", { error });
    }
    if (!deps.dispatcher) dispatcher.close();
    if (!deps.store) await store.close();
  }

  return {
    owner,
    events,
    transactions,
    scheduler,
    store,
    routes(router) {
      registerCoordinatorService(router, transactions, config);
    },
    async start() {
      scheduler.start();
    },
    stop() {
      stopped ??= stop();
      return stopped;
    },
    describeStore: () => (config.databaseUrl === undefined ? `embedded:${config.dataDir}` : "postgres"),
  };
}
