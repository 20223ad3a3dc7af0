/**
 * What the Postgres-starting tools share (`make dev-postgres`, `make dtm-suite`): start an
 * embedded Postgres, set it up, keep it until SIGINT or SIGTERM, stop it, and exit with a code
 * that says how it ended.
 */
import { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from "../test/support/embedded-postgres.js";

export interface ServeOptions {
  /** Names the server in messages, e.g. "dev Postgres". */
  readonly label: string;
  /** Once the server runs: create databases, write its URLs out. A throw stops the server. */
  readonly ready: (server: EmbeddedPostgres) => Promise<void>;
  /** Called when a signal stopped a server that had been ready. */
  readonly onStopped?: () => void;
}

/**
 * Serve until a signal. Resolves with 0 when a signal stopped it (during start-up too: Ctrl-C
 * while Postgres starts ends quietly), 1 when the server exited on its own.
 */
export async function serveUntilSignal(start: EmbeddedPostgresOptions, options: ServeOptions): Promise<number> {
  // Listened for from the start. The terminal's Ctrl-C reaches Postgres as well (same process
  // group); either way we wait for it to end.
  let stopping = false;
  let stopServer = () => Promise.resolve();
  const stop = () => {
    stopping = true;
    void stopServer();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres(start);
  } catch (err) {
    if (stopping) return 0;
    throw err;
  }
  stopServer = server.stop;
  if (stopping) {
    await server.stop();
    return 0;
  }
  try {
    await options.ready(server);
  } catch (err) {
    await server.stop();
    if (stopping) return 0;
    throw err;
  }
  await server.exited;
  await server.stop();
  if (!stopping) {
    console.error(`${options.label} exited on its own (its log is above)`);
    return 1;
  }
  options.onStopped?.();
  return 0;
}

/** Run a tool's `main` and exit with its code, or print `<name>: <message>` and exit 1. */
export function runTool(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
