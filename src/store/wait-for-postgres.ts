/**
 * Start-up against a Postgres server that may not be up yet (containers started together, a
 * failover in progress). Internal module.
 */
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import type { Logger } from "../logger.js";
import { maskDatabaseUrl } from "../database-url.js";
import { isConnectionFailure } from "../errors.js";

export interface WaitForPostgresOptions {
  /** The server's URL; printed with its password masked. */
  readonly databaseUrl: string;
  /** How long to keep retrying a server that is not reachable yet, ms; 0 = try once. Default 0. */
  readonly timeoutMs?: number;
  /** Stops the waiting (e.g. SIGTERM during start-up); the call then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Receives one warning per failed attempt. Default: none. */
  readonly logger?: Logger;
  /** Delay after the first failed attempt, ms; it doubles per attempt. Default 250. */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts, ms. Default 5000. */
  readonly maxDelayMs?: number;
}

/** One attempt may take at most this long, ms: a silently dropped SYN must not eat the whole wait. */
const maxAttemptMs = 10_000;

/**
 * Whether `err` from connecting means the server is not reachable YET (errors.ts's connection
 * failures). Anything else (a wrong password, a missing database, a bad option) will not fix
 * itself by waiting.
 */
export const isNotReachableYet = isConnectionFailure;

/**
 * Connect once (and hang up) to prove the server is reachable and accepts us, retrying for up to
 * `timeoutMs` with exponential backoff while it is not reachable yet. Rejects at once on any other
 * error, and after the time is up with the last reason.
 */
export async function waitForPostgres(options: WaitForPostgresOptions): Promise<void> {
  const { databaseUrl, logger, signal } = options;
  const timeoutMs = options.timeoutMs ?? 0;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const shown = maskDatabaseUrl(databaseUrl);
  const started = Date.now();
  const deadline = started + timeoutMs;
  let delayMs = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    try {
      await connectOnce(databaseUrl, timeoutMs === 0 ? maxAttemptMs : Math.min(maxAttemptMs, Math.max(remaining, 1000)), signal);
      if (attempt > 1) logger?.info("store: Postgres is reachable", { url: shown, attempt, waitedMs: Date.now() - started });
      return;
    } catch (err) {
      signal?.throwIfAborted();
      const reason = describeError(err);
      if (!isNotReachableYet(err)) {
        throw new Error(`cannot connect to Postgres at ${shown}: ${reason}`, { cause: err });
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const tried = timeoutMs === 0 ? "" : ` (gave up after ${attempt} attempts in ${Date.now() - started} ms)`;
        throw new Error(`cannot reach Postgres at ${shown}${tried}: ${reason}`, { cause: err });
      }
      const waitMs = Math.min(delayMs, left);
      logger?.warn("store: Postgres is not reachable yet; retrying", { url: shown, attempt, reason, retryInMs: waitMs, giveUpInMs: left });
      await delay(waitMs, undefined, signal ? { signal } : {}).catch((e: unknown) => {
        signal?.throwIfAborted();
        throw e;
      });
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    }
  }
}

async function connectOnce(databaseUrl: string, attemptMs: number, signal: AbortSignal | undefined): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: attemptMs });
  // A failed connect also emits "error"; unhandled, that would crash the process.
  client.on("error", () => {});
  const abort = () => void client.end().catch(() => {});
  signal?.addEventListener("abort", abort, { once: true });
  try {
    await client.connect();
  } finally {
    signal?.removeEventListener("abort", abort);
    await client.end().catch(() => {});
  }
}

/** A one-line reason: Node's AggregateError (one error per address tried) has an empty message. */
function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return [...new Set(err.errors.map(describeError))].join("; ");
  }
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const message = err.message || (typeof code === "string" ? code : err.name);
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}
