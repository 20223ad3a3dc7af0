/**
 * The `concord` command: `concord serve [flags]`, `concord version`, `concord --help`.
 * Internal module; `bin/concord.js` runs it.
 *
 * Output contract (process-level tests rely on it): stdout gets exactly one line once both
 * listeners are up and the coordinator has started —
 * `concord listening: grpc=<host>:<port> http=<host>:<port> store=<store>` — and logs go to
 * stderr. Exit codes: 0 after a clean shutdown on SIGTERM/SIGINT, 1 on a second signal during
 * shutdown, 2 on bad usage or a failed start (bad config, port in use).
 *
 * With `--workers N` (N > 1) the same holds for the process started: it is the cluster's primary
 * (./cluster.ts), which prints the line once every worker listens; the workers (./worker.ts) each
 * run `serveInstance` and print nothing on stdout. The primary exits 1, not 0, when a worker did
 * not shut down cleanly or kept crashing.
 */
import cluster from "node:cluster";
import { advertisedAddress, configHelp, resolveConfig, shutdownDeadlineMs, type Config } from "../config.js";
import { createCoordinator, type Coordinator } from "../coordinator.js";
import { createLogger, type Logger } from "../logger.js";
import { createServer, type Server } from "../server/index.js";
import { maskDatabaseUrl } from "../database-url.js";
import { withTimeout } from "../with-timeout.js";
import { watchConfig } from "./reload.js";
import { packageVersion } from "../version.js";
import { listeningLine, servePrimary, type ListeningPorts } from "./cluster.js";

const usage = `concord: a gRPC-native distributed transaction coordinator

Usage:
  concord serve [flags]   start a coordinator (see concord serve --help)
  concord version         print the version
  concord --help          print this help
`;

/**
 * Run the command line `argv` (without node and the script) and resolve with the exit code.
 * `serve` resolves only after a signal-driven shutdown.
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(`Usage: concord serve [flags]\n\n${configHelp()}`);
        return 0;
      }
      return serve(rest, env);
    case "version":
    case "--version":
      process.stdout.write(`concord ${packageVersion()}\n`);
      return 0;
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`${command === undefined ? "concord: missing command" : `concord: unknown command "${command}"`}\n\n${usage}`);
      return 2;
  }
}

async function serve(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: Config;
  try {
    config = resolveConfig({ argv: [...args], env });
  } catch (err) {
    process.stderr.write(`concord: ${errorMessage(err)}\n`);
    return 2;
  }
  const logger = createLogger(config.logLevel);
  logger.info("starting concord", { version: packageVersion(), config: configSummary(config) });
  // More than one worker: this process only supervises them (./cluster.ts), each runs serveInstance.
  if (config.workers > 1 && cluster.isPrimary) return servePrimary(args, env, config, logger);
  // Inside another tool's node:cluster (PM2's cluster mode): that tool runs the processes.
  if (config.workers > 1) logger.warn("running as a node:cluster worker of another process manager: one instance here, --workers ignored", { workers: config.workers });
  return serveInstance(args, env, config, {
    logger,
    // Listen for SIGTERM/SIGINT before anything is opened: a stop asked for during start-up (Ctrl-C
    // while Postgres is still out of reach) ends the start cleanly instead of killing the process.
    stopRequested: firstSignal(),
    listening: (ports, store) => void process.stdout.write(`${listeningLine(config, ports, store)}\n`),
    startFailed: (message) => void process.stderr.write(`concord: cannot start: ${message}\n`),
  });
}

/** What runs one coordinator instance needs from the process around it: the single process, or a worker of `--workers N`. */
export interface InstanceHost {
  readonly logger: Logger;
  /** Resolves with the first stop request (a signal name); installed before anything is opened. */
  readonly stopRequested: Promise<string>;
  /** Both listeners are up and the coordinator has started. */
  listening(ports: ListeningPorts, store: string): void;
  /** The start failed (not because a stop was asked for); `message` says why. */
  startFailed(message: string): void;
}

/**
 * Run one coordinator instance (store, coordinator, both listeners) until `host.stopRequested`,
 * then shut it down gracefully; resolves with the exit code. `concord serve` runs one in its own
 * process (`--workers 1`) or one per worker.
 */
export async function serveInstance(args: readonly string[], env: NodeJS.ProcessEnv, config: Config, host: InstanceHost): Promise<number> {
  const { logger, stopRequested } = host;
  const startAborted = new AbortController();
  void stopRequested.then((signal) => startAborted.abort(new Error(`${signal} during start-up`)));

  let coordinator: Coordinator | undefined;
  let server: Server | undefined;
  try {
    coordinator = await createCoordinator(config, logger, { signal: startAborted.signal });
    startAborted.signal.throwIfAborted();
    const app = coordinator;
    server = createServer({ config, logger, routes: (router) => app.routes(router), httpRoutes: app.httpRoutes, authenticator: app.authenticator });
    // NOT_SERVING until the coordinator has started, so a readiness probe that lands between
    // listen() and start() does not send work here too early.
    server.setServing(false);
    const ports = await server.listen();
    // dtm-dtm: where branches reach us, with the port actually bound (--grpc-port 0 picks one).
    coordinator.advertise(advertisedAddress(config, ports.grpcPort));
    await coordinator.start();
    startAborted.signal.throwIfAborted();
    server.setServing(true);
    host.listening(ports, coordinator.describeStore());
  } catch (err) {
    const stopped = startAborted.signal.aborted;
    if (!stopped) host.startFailed(errorMessage(err));
    // Best effort: release the ports and the store so nothing is left locked behind us.
    await server?.close().catch(() => {});
    await coordinator?.stop().catch(() => {});
    if (stopped) logger.info("stopped during start-up");
    // Asked to stop: a clean exit, as after a normal shutdown.
    return stopped ? 0 : 2;
  }

  const [running, listening] = [coordinator, server];
  const watcher = watchConfig({
    argv: args,
    env,
    logger,
    current: () => running.config(),
    apply: (next) => running.reconfigure(next),
    reloadTls: () => listening.reloadTls(),
  });
  const signal = await stopRequested;
  watcher.stop();
  logger.info("shutting down", { signal });
  server.setServing(false);
  // Stop accepting and tell every connection (GOAWAY, idle keep-alives closed) before the
  // coordinator drains, but destroy nothing yet: a client waiting on wait_result must get its
  // answer, or UNAVAILABLE, once the coordinator has stopped. The server's own deadline
  // is only a backstop should stop() hang.
  const closed = server.close();
  let code = 0;
  try {
    // Bounded: a database that stopped answering must not keep a stopped process alive for ever.
    const finished = await withTimeout(coordinator.stop().then(() => true), shutdownDeadlineMs(config));
    if (!finished) {
      logger.error("shutdown did not finish in time; exiting anyway (unfinished work is resumed by another instance after its lease)", {
        deadlineMs: shutdownDeadlineMs(config),
      });
      code = 1;
    }
  } catch (err) {
    logger.error("shutdown failed", { error: err });
    code = 1;
  }
  // Answers decided during stop() still have to reach their clients; give them a moment.
  await server.close({ forceAfterMs: answerFlushMs });
  await closed;
  if (code === 0) logger.info("stopped");
  return code;
}

/** After the coordinator stopped, how long open connections get to flush their last answers, ms. */
const answerFlushMs = 2000;

/**
 * The configuration for the start-up log line, with the database password masked: logs are
 * shipped to places the database credentials must not go.
 */
export function configSummary(config: Config): Record<string, unknown> {
  return { ...config, databaseUrl: config.databaseUrl === undefined ? undefined : maskDatabaseUrl(config.databaseUrl) };
}

/**
 * Resolve with the first SIGTERM or SIGINT. Any later one exits with 1 at once: an operator
 * pressing Ctrl-C twice wants the process gone, not a graceful drain.
 */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    // One handler that stays installed: removing and re-adding listeners restarts Node's
    // signal watcher, and a second signal arriving in between would be lost.
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++received === 1) return resolve(signal);
      process.stderr.write(`concord: ${signal} during shutdown; exiting now\n`);
      process.exit(1);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
