/**
 * `concord serve --workers N` (N > 1): this process becomes a node:cluster primary that runs no
 * coordinator itself. It forks N workers (./worker.ts), each a full coordinator instance — its
 * own store pool, lease owner id, scheduler, limits, breakers and health — and supervises them.
 * Internal module.
 *
 * - Ports: the workers listen on the configured ports and node:cluster shares the listening
 *   sockets (the primary accepts and hands connections round-robin to the workers). With port 0
 *   the cluster binds one port per listener and gives it to every worker; the primary checks that
 *   all workers report the same ports before it prints the one `concord listening:` line, once
 *   every worker listens. Workers print nothing on stdout (theirs goes to stderr).
 * - Signals: the first SIGTERM/SIGINT asks every worker (over IPC) to shut down as a single
 *   process does; the primary exits 0 once all did cleanly, 1 if one did not. A second signal
 *   kills the workers and exits 1 at once. SIGHUP is forwarded to every listening worker (live
 *   reload). A worker whose primary is gone (even SIGKILLed) exits at once: node:cluster ends a
 *   worker whose IPC channel closes, and its leases let another instance resume its work.
 * - Crashes: a worker that dies while running is forked again after a back-off (100 ms doubling
 *   up to 5 s); after `restartPolicy.maxCrashes` deaths within `restartPolicy.windowMs` the
 *   primary gives up, stops the others and exits 1, saying why. A worker that fails during the
 *   first start fails the start (exit 2, its reason on stderr).
 * - Metrics: a scrape lands on one worker, which asks the primary; the primary gathers every
 *   listening worker's registry and sums them (../metrics.ts `aggregateMetrics`).
 */
import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import { shutdownDeadlineMs, type Config } from "../config.js";
import type { Logger } from "../logger.js";
import { aggregateMetrics, type MetricsSnapshot } from "../metrics.js";

export interface ListeningPorts {
  readonly grpcPort: number;
  readonly httpPort: number;
}

/** The one stdout line of the output contract (top of ./main.ts). */
export function listeningLine(config: Pick<Config, "host">, ports: ListeningPorts, store: string): string {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `concord listening: grpc=${host}:${ports.grpcPort} http=${host}:${ports.httpPort} store=${store}`;
}

/** Primary → worker messages (IPC, structured clone). */
export type ToWorker =
  /** Shut down gracefully, as on SIGTERM; `signal` is what the primary received (or why it stops). */
  | { readonly type: "concord:stop"; readonly signal: string }
  /** Send your registry's metrics (`concord:metrics-part`). */
  | { readonly type: "concord:metrics-collect"; readonly id: number }
  /** The answer to a `concord:metrics-request`: every worker's metrics summed, or why not. */
  | { readonly type: "concord:metrics-answer"; readonly id: number; readonly text?: string; readonly error?: string };

/** Worker → primary messages. */
export type FromWorker =
  /** The worker's handlers are installed: it can take a `concord:stop` now. */
  | { readonly type: "concord:hello" }
  | { readonly type: "concord:listening"; readonly grpcPort: number; readonly httpPort: number; readonly store: string }
  | { readonly type: "concord:start-failed"; readonly message: string }
  /** A scrape of `/metrics` landed here: please gather every worker's. */
  | { readonly type: "concord:metrics-request"; readonly id: number }
  | { readonly type: "concord:metrics-part"; readonly id: number; readonly metrics?: MetricsSnapshot; readonly error?: string }
  /** Nothing: its delivery tells the worker that everything it sent before was written. */
  | { readonly type: "concord:flush" };

/** Tells a worker its slot, 1..N, kept across restarts; the workers' log lines carry it as `worker`. */
export const workerSlotEnv = "CONCORD_WORKER_SLOT";

/** When a crashed worker is forked again, and when the primary gives up. */
export const restartPolicy = Object.freeze({
  /** So many unexpected worker exits within `windowMs` and the primary stops everything and exits 1. */
  maxCrashes: 5,
  windowMs: 60_000,
  /** The first restart's delay; it doubles with each crash in the window, up to `maxDelayMs`. */
  firstDelayMs: 100,
  maxDelayMs: 5_000,
});

/** How long the primary waits for every worker's metrics for one scrape, ms. */
const collectTimeoutMs = 3_000;
/** Beyond a worker's own shutdown deadline, how long the primary waits before it kills it, ms. */
const stopMarginMs = 10_000;

interface Slot {
  /** 1..N. */
  readonly index: number;
  /** The process serving this slot now; undefined while it is being restarted, or once stopped. */
  worker: Worker | undefined;
  /** Its handlers are installed (`concord:hello`). */
  hello: boolean;
  /** Where it listens, once it does. */
  ports: ListeningPorts | undefined;
  store: string;
  stopSent: boolean;
  /** What it said when its start failed. */
  failure: string | undefined;
  restartTimer: NodeJS.Timeout | undefined;
}

interface Collect {
  part(workerId: number, message: { metrics?: MetricsSnapshot; error?: string }): void;
  gone(workerId: number): void;
}

/**
 * Run `config.workers` workers with the serve flags `args` until a signal, a failed start or too
 * many crashes; resolves with the exit code (0 clean, 1 a worker did not stop cleanly or kept
 * crashing, 2 the start failed).
 */
export function servePrimary(args: readonly string[], env: NodeJS.ProcessEnv, config: Config, logger: Logger): Promise<number> {
  const count = config.workers;
  cluster.setupPrimary({
    exec: fileURLToPath(new URL("./worker.js", import.meta.url)),
    args: [...args],
    // stdout is the primary's alone (the output contract): a worker's goes to stderr.
    stdio: ["ignore", 2, 2, "ipc"],
    serialization: "advanced",
  });

  return new Promise<number>((resolve) => {
    let phase: "starting" | "running" | "stopping" = "starting";
    /** Sent with `concord:stop`: the signal received, or why the primary stops. */
    let stopReason = "SIGTERM";
    /** The exit code a failed start (2) or giving up (1) imposes. */
    let imposed: number | undefined;
    /** A worker did not stop cleanly. */
    let unclean = false;
    let startFailureSaid = false;
    let backstop: NodeJS.Timeout | undefined;
    const crashes: number[] = [];
    let announced: ListeningPorts | undefined;
    const collects = new Map<number, Collect>();
    let nextCollect = 0;
    const slots: Slot[] = Array.from({ length: count }, (_, i) => ({
      index: i + 1,
      worker: undefined,
      hello: false,
      ports: undefined,
      store: "",
      stopSent: false,
      failure: undefined,
      restartTimer: undefined,
    }));
    const pidOf = (worker: Worker) => worker.process.pid;

    const send = (worker: Worker, message: ToWorker): boolean => {
      if (!worker.isConnected()) return false;
      try {
        worker.send(message);
        return true;
      } catch {
        return false;
      }
    };

    function fork(slot: Slot): void {
      const worker = cluster.fork({ ...env, [workerSlotEnv]: String(slot.index) });
      Object.assign(slot, { worker, hello: false, ports: undefined, stopSent: false, failure: undefined, restartTimer: undefined });
      worker.on("message", (message: FromWorker) => onMessage(slot, worker, message));
      worker.on("exit", (code: number | null, signal: NodeJS.Signals | null) => onExit(slot, worker, code, signal));
      // A send to a worker that just died: its exit is handled above.
      worker.on("error", (error: Error) => logger.debug("worker IPC error", { worker: slot.index, workerPid: pidOf(worker), error }));
    }

    function onMessage(slot: Slot, worker: Worker, message: FromWorker): void {
      if (slot.worker !== worker || typeof message !== "object" || message === null) return;
      switch (message.type) {
        case "concord:hello":
          slot.hello = true;
          if (phase === "stopping") sendStop(slot);
          break;
        case "concord:listening":
          slot.ports = { grpcPort: message.grpcPort, httpPort: message.httpPort };
          slot.store = message.store;
          if (phase === "starting") {
            announceOnceAllListen();
          } else if (phase === "running" && announced !== undefined) {
            if (slot.ports.grpcPort !== announced.grpcPort || slot.ports.httpPort !== announced.httpPort) {
              // Only with port 0, once every worker had died: the cluster bound new ports.
              logger.error("restarted worker listens on other ports than announced", { worker: slot.index, workerPid: pidOf(worker), ports: slot.ports, announced });
            } else {
              logger.info("worker restarted and listening", { worker: slot.index, workerPid: pidOf(worker) });
            }
          }
          break;
        case "concord:start-failed":
          slot.failure = message.message;
          break;
        case "concord:metrics-request":
          void answerMetrics(worker, message.id);
          break;
        case "concord:metrics-part":
          collects.get(message.id)?.part(worker.id, message);
          break;
        case "concord:flush":
          break;
      }
    }

    function announceOnceAllListen(): void {
      if (!slots.every((s) => s.ports !== undefined)) return;
      const first = slots[0]!.ports!;
      const differ = slots.filter((s) => s.ports!.grpcPort !== first.grpcPort || s.ports!.httpPort !== first.httpPort);
      if (differ.length > 0) {
        const where = slots.map((s) => `worker ${s.index}: grpc ${s.ports!.grpcPort}, http ${s.ports!.httpPort}`).join("; ");
        failStart(`the workers do not share their ports (${where})`);
        return;
      }
      phase = "running";
      announced = first;
      logger.info("all workers listening", { workers: count, workerPids: slots.map((s) => (s.worker ? pidOf(s.worker) : undefined)) });
      process.stdout.write(`${listeningLine(config, first, slots[0]!.store)}\n`);
    }

    function onExit(slot: Slot, worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      for (const collect of [...collects.values()]) collect.gone(worker.id);
      const how = code === null ? `signal ${signal}` : `exit code ${code}`;
      const fields = { worker: slot.index, workerPid: pidOf(worker), code, signal };
      if (phase === "stopping") {
        if (code === 0) {
          logger.info("worker stopped", fields);
        } else {
          unclean = true;
          logger.error("worker did not stop cleanly", fields);
        }
      } else if (phase === "starting") {
        logger.error("worker failed to start; stopping the others", { ...fields, reason: slot.failure });
        failStart(slot.failure ?? `worker ${slot.index} exited (${how}) before it listened`);
      } else {
        crashed(slot, how, fields);
      }
      finishWhenAllExited();
    }

    function crashed(slot: Slot, how: string, fields: Record<string, unknown>): void {
      const now = Date.now();
      crashes.push(now);
      while (crashes[0]! <= now - restartPolicy.windowMs) crashes.shift();
      if (crashes.length >= restartPolicy.maxCrashes) {
        const why = `workers exited unexpectedly ${crashes.length} times within ${restartPolicy.windowMs / 1000} s (the last: worker ${slot.index}, ${how}${slot.failure ? `: ${slot.failure}` : ""})`;
        logger.error("giving up: workers keep exiting; stopping the others", { ...fields, crashes: crashes.length, windowMs: restartPolicy.windowMs });
        process.stderr.write(`concord: giving up: ${why}\n`);
        beginStop("workers keep crashing", 1);
        return;
      }
      const delayMs = Math.min(restartPolicy.firstDelayMs * 2 ** (crashes.length - 1), restartPolicy.maxDelayMs);
      logger.error("worker exited unexpectedly; restarting it (its leased transactions are resumed once their leases run out)", {
        ...fields,
        reason: slot.failure,
        restartInMs: delayMs,
      });
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = undefined;
        if (phase === "running") fork(slot);
      }, delayMs);
    }

    function failStart(message: string): void {
      if (!startFailureSaid) {
        startFailureSaid = true;
        process.stderr.write(`concord: cannot start: ${message}\n`);
      }
      beginStop("another worker failed to start", 2);
    }

    function sendStop(slot: Slot): void {
      if (slot.stopSent || slot.worker === undefined) return;
      slot.stopSent = true;
      send(slot.worker, { type: "concord:stop", signal: stopReason });
    }

    function beginStop(reason: string, exitCode?: number): void {
      imposed ??= exitCode;
      if (phase === "stopping") return;
      phase = "stopping";
      stopReason = reason;
      for (const slot of slots) {
        clearTimeout(slot.restartTimer);
        slot.restartTimer = undefined;
        // One still loading its modules gets it once it says hello.
        if (slot.hello) sendStop(slot);
      }
      const deadlineMs = shutdownDeadlineMs(config) + stopMarginMs;
      backstop = setTimeout(() => {
        unclean = true;
        logger.error("workers did not stop in time; killing them", { deadlineMs, workers: slots.filter((s) => s.worker).map((s) => s.index) });
        for (const slot of slots) slot.worker?.process.kill("SIGKILL");
      }, deadlineMs);
      finishWhenAllExited();
    }

    function finishWhenAllExited(): void {
      if (phase !== "stopping" || slots.some((s) => s.worker !== undefined)) return;
      clearTimeout(backstop);
      const code = imposed ?? (unclean ? 1 : 0);
      if (code === 0) logger.info("stopped");
      resolve(code);
    }

    /** Gather every listening worker's metrics (a worker that dies meanwhile is left out). */
    function collectAll(): Promise<MetricsSnapshot[]> {
      const targets = slots.filter((s) => s.worker !== undefined && s.ports !== undefined && s.worker.isConnected());
      return new Promise((resolveParts, reject) => {
        const id = nextCollect++;
        const waiting = new Map(targets.map((s) => [s.worker!.id, s.index]));
        const parts: MetricsSnapshot[] = [];
        const finish = (error?: string) => {
          clearTimeout(timer);
          collects.delete(id);
          if (error === undefined) resolveParts(parts);
          else reject(new Error(error));
        };
        const timer = setTimeout(() => finish(`worker ${[...waiting.values()].join(", ")} sent no metrics within ${collectTimeoutMs} ms`), collectTimeoutMs);
        collects.set(id, {
          part(workerId, message) {
            const index = waiting.get(workerId);
            if (index === undefined) return;
            waiting.delete(workerId);
            if (message.error !== undefined || message.metrics === undefined) return finish(`worker ${index}: ${message.error ?? "no metrics"}`);
            parts.push(message.metrics);
            if (waiting.size === 0) finish();
          },
          gone(workerId) {
            if (waiting.delete(workerId) && waiting.size === 0) finish();
          },
        });
        for (const slot of targets) if (!send(slot.worker!, { type: "concord:metrics-collect", id })) waiting.delete(slot.worker!.id);
        if (waiting.size === 0) finish();
      });
    }

    async function answerMetrics(requester: Worker, id: number): Promise<void> {
      let answer: ToWorker;
      try {
        answer = { type: "concord:metrics-answer", id, text: await aggregateMetrics(await collectAll()) };
      } catch (error) {
        logger.warn("metrics: a scrape could not gather every worker's figures", { error });
        answer = { type: "concord:metrics-answer", id, error: error instanceof Error ? error.message : String(error) };
      }
      send(requester, answer);
    }

    // One handler per signal that stays installed (see firstSignal in ./main.ts).
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals === 1) {
        logger.info("shutting down", { signal, workers: slots.filter((s) => s.worker).length });
        beginStop(signal);
        return;
      }
      process.stderr.write(`concord: ${signal} during shutdown; exiting now\n`);
      for (const slot of slots) slot.worker?.process.kill("SIGKILL");
      process.exit(1);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    process.on("SIGHUP", () => {
      // Only to workers that listen: they have their reload handler; one still starting reads
      // the configuration as it is now anyway.
      const listening = slots.filter((s) => s.worker !== undefined && s.ports !== undefined);
      logger.info("SIGHUP: reloading every worker's configuration", { workers: listening.map((s) => s.index) });
      for (const slot of listening) slot.worker!.process.kill("SIGHUP");
    });

    logger.info("starting workers", { workers: count });
    for (const slot of slots) fork(slot);
  });
}
