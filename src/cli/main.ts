/**
 * The `concord` command: `concord serve [flags]`, `concord version`, `concord --help`.
 * Internal module; `bin/concord.js` runs it.
 *
 * Output contract (process-level tests rely on it): stdout gets exactly one line once both
 * listeners are up and the coordinator has started —
 * `concord listening: grpc=<host>:<port> http=<host>:<port> store=<store>` — and logs go to
 * stderr. Exit codes: 0 after a clean shutdown on SIGTERM/SIGINT, 1 on a second signal during
 * shutdown, 2 on bad usage or a failed start (bad config, port in use).
 */
import { readFileSync } from "node:fs";
import { configHelp, resolveConfig, type Config } from "../config.js";
import { createCoordinator, type Coordinator } from "../coordinator.js";
import { createLogger } from "../logger.js";
import { createServer, type Server } from "../server/index.js";

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

  let coordinator: Coordinator | undefined;
  let server: Server | undefined;
  try {
    coordinator = await createCoordinator(config, logger);
    const app = coordinator;
    server = createServer({ config, logger, routes: (router) => app.routes(router) });
    // NOT_SERVING until the coordinator has started, so a readiness probe that lands between
    // listen() and start() does not send work here too early.
    server.setServing(false);
    const ports = await server.listen();
    await coordinator.start();
    server.setServing(true);
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    process.stdout.write(
      `concord listening: grpc=${host}:${ports.grpcPort} http=${host}:${ports.httpPort} store=${coordinator.describeStore()}\n`,
    );
  } catch (err) {
    process.stderr.write(`concord: cannot start: ${errorMessage(err)}\n`);
    // Best effort: release the ports and the store so nothing is left locked behind us.
    await server?.close().catch(() => {});
    await coordinator?.stop().catch(() => {});
    return 2;
  }

  const signal = await firstSignal();
  logger.info("shutting down", { signal });
  server.setServing(false);
  // Stop accepting first, then let the coordinator finish (or hand back) in-flight work while
  // open requests such as wait_result drain; only then wait for the listeners to be gone.
  const closed = server.close();
  try {
    await coordinator.stop();
    await closed;
  } catch (err) {
    logger.error("shutdown failed", { error: err });
    return 1;
  }
  logger.info("stopped");
  return 0;
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

/** The version in package.json, found by walking up from this module (src/ and dist/src/ alike). */
function packageVersion(): string {
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "concord" && pkg.version) return pkg.version;
    } catch {
      // No package.json at this level; keep walking up.
    }
    if (dir.pathname === "/") return "unknown";
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
