/**
 * Server-side interceptors shared by every service. Internal module.
 */
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { toConnectError } from "../errors.js";
import type { Logger } from "../logger.js";

export interface RpcInterceptorOptions {
  logger: Logger;
  /**
   * True once the server is shutting down. Default: never. An unexpected throw then answers
   * `Unavailable` instead of `Internal`: parts of the coordinator are being closed under the
   * call, and the client should retry on another instance rather than report a bug.
   */
  shuttingDown?: () => boolean;
}

/**
 * Log each RPC at debug level (method, code, duration in ms) and coerce unexpected throws with
 * `toConnectError` (src/errors.ts): a store outage answers `Unavailable`, a handler bug answers
 * `Internal` without leaking its message and is logged at error level with its stack.
 * `ConnectError`s pass through unchanged, because they are answers the handler chose.
 */
export function createRpcInterceptor(options: RpcInterceptorOptions): Interceptor {
  const { logger } = options;
  const shuttingDown = options.shuttingDown ?? (() => false);
  return (next) => async (req) => {
    const method = `${req.service.typeName}/${req.method.name}`;
    const started = performance.now();
    const log = (code: Code | undefined) =>
      logger.debug("rpc", { method, code: code === undefined ? "OK" : Code[code], durationMs: Math.round((performance.now() - started) * 10) / 10 });
    const finish = () => log(undefined);
    const fail = (err: unknown): ConnectError => {
      const error = coerce(err, method, req.signal, logger, shuttingDown());
      log(error.code);
      return error;
    };
    let res;
    try {
      res = await next(req);
    } catch (err) {
      throw fail(err);
    }
    if (!res.stream) {
      finish();
      return res;
    }
    // A streaming RPC ends when its message stream does, so the log line and the error
    // mapping belong to the end of that stream, not to the return of next().
    const messages = res.message;
    async function* observed() {
      try {
        yield* messages;
      } catch (err) {
        throw fail(err);
      }
      finish();
    }
    return { ...res, message: observed() };
  };
}

function coerce(err: unknown, method: string, signal: AbortSignal, logger: Logger, shuttingDown: boolean): ConnectError {
  if (err instanceof ConnectError) return err;
  // The client went away or the deadline passed: the handler's throw is a symptom, not a bug.
  if (signal.aborted) return ConnectError.from(signal.reason ?? err, Code.Canceled);
  const error = toConnectError(err);
  if (error.code === Code.Internal && shuttingDown) {
    logger.warn("rpc failed while shutting down", { method, error: err, stack: err instanceof Error ? err.stack : undefined });
    return new ConnectError("shutting down", Code.Unavailable, undefined, undefined, err);
  }
  if (error.code === Code.Unavailable) {
    logger.warn("rpc failed: store unavailable", { method, error: err });
    return error;
  }
  logger.error("unexpected error in rpc handler", {
    method,
    error: err,
    stack: err instanceof Error ? err.stack : undefined,
  });
  return error;
}
