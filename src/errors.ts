/**
 * The one place that turns an unknown throw into a `ConnectError`. Internal module.
 *
 * A handler's own answers are `ConnectError`s and pass unchanged. Anything else is either a
 * store outage (the database went away, refused us, or was closed under a running call during
 * shutdown), which a client should retry elsewhere or later and so is `Unavailable`, or a bug,
 * which is `Internal`. Both keep the original error as `cause` for the log; neither leaks its
 * message to the client.
 */
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Postgres SQLSTATEs that mean "the server cannot serve you right now", not "your query is
 * wrong": 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many
 * connections. Class 08 (connection exception) is matched by prefix.
 */
const unavailableSqlStates = new Set(["57P01", "57P02", "57P03", "53300"]);

/** Node errno codes of a peer that is down, unreachable or went away mid-conversation. */
const unavailableErrnos = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

/**
 * Messages of drivers that report a lost or closed connection without a code: pg's client and
 * pool, the embedded store (src/store/pglite-dialect.ts) and Kysely once `destroy()` ran.
 */
const unavailableMessages: readonly RegExp[] = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /PGlite driver has been destroyed/,
  /driver has already been destroyed/,
];

/** The message a client sees for a store outage: short, safe, and telling it to retry. */
export const storeUnavailableMessage = "store unavailable; retry later";

/**
 * True when `err` (or an error in its `cause` chain, or in an `AggregateError`, as Node throws
 * for a host with several addresses) says the store cannot be reached or was closed.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown): boolean => {
    if (typeof e !== "object" || e === null || seen.has(e)) return false;
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (code.startsWith("08") && code.length === 5) return true;
      if (unavailableSqlStates.has(code) || unavailableErrnos.has(code)) return true;
    }
    if (typeof message === "string" && unavailableMessages.some((re) => re.test(message))) return true;
    if (e instanceof AggregateError && e.errors.some(visit)) return true;
    return visit((e as { cause?: unknown }).cause);
  };
  return visit(err);
}

/**
 * Coerce any throw to a `ConnectError`: a `ConnectError` passes unchanged, a store outage is
 * `Unavailable`, anything else `Internal` (the caller logs it; it is a bug). The original error
 * is kept as `cause`.
 */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (isStoreUnavailable(err)) return new ConnectError(storeUnavailableMessage, Code.Unavailable, undefined, undefined, err);
  return new ConnectError("internal error", Code.Internal, undefined, undefined, err);
}
