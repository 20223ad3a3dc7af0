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

/** Node errno codes of a peer that is down, unreachable or went away mid-conversation. */
const connectionErrnos = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Messages of pg's client and pool for a lost, refused or timed-out connection (they carry no code). */
const connectionMessages: readonly RegExp[] = [/^Connection terminated/, /timeout exceeded when trying to connect/, /^timeout expired/];

/**
 * Postgres SQLSTATEs that mean "the server cannot serve you right now", not "your query is
 * wrong", beyond a connection failure: 57P01 admin shutdown, 57P02 crash shutdown, 53300 too many
 * connections.
 */
const unavailableSqlStates = new Set(["57P01", "57P02", "53300"]);

/** The embedded store (src/store/pglite-dialect.ts) and Kysely once `destroy()` ran. */
const closedStoreMessages: readonly RegExp[] = [/PGlite driver has been destroyed/, /driver has already been destroyed/];

/**
 * True when `err` (or an error in its `cause` chain, or in an `AggregateError`, as Node throws
 * for a host with several addresses) satisfies `test`.
 */
function anyInChain(err: unknown, test: (code: string | undefined, message: string) => boolean): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown): boolean => {
    if (typeof e !== "object" || e === null || seen.has(e)) return false;
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (test(typeof code === "string" ? code : undefined, typeof message === "string" ? message : "")) return true;
    if (e instanceof AggregateError && e.errors.some(visit)) return true;
    return visit((e as { cause?: unknown }).cause);
  };
  return visit(err);
}

/**
 * True when `err` says a connection to the server could not be made or was lost: network errors,
 * SQLSTATE class 08 (connection exception) and 57P03 (cannot connect now: still starting up).
 * Waiting can fix these, which is why start-up retries exactly them.
 */
export function isConnectionFailure(err: unknown): boolean {
  return anyInChain(
    err,
    (code, message) =>
      (code !== undefined && (connectionErrnos.has(code) || code === "57P03" || /^08[0-9A-Z]{3}$/.test(code))) ||
      connectionMessages.some((re) => re.test(message)),
  );
}

/** The message a client sees for a store outage: short, safe, and telling it to retry. */
export const storeUnavailableMessage = "store unavailable; retry later";

/** True when `err` says the store cannot be reached, cannot serve now, or was closed. */
export function isStoreUnavailable(err: unknown): boolean {
  return (
    isConnectionFailure(err) ||
    anyInChain(err, (code, message) => (code !== undefined && unavailableSqlStates.has(code)) || closedStoreMessages.some((re) => re.test(message)))
  );
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
