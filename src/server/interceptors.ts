/**
 * Server-side interceptors shared by every service. Internal module.
 */
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../logger.js";

/**
 * Log each RPC at debug level (method, code, duration in ms) and turn an unexpected throw into
 * `Internal`: a handler bug answers with a status the client understands instead of leaking its
 * message, and is logged at error level with its cause. `ConnectError`s pass through unchanged,
 * because they are answers the handler chose.
 */
export function createRpcInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const method = `${req.service.typeName}/${req.method.name}`;
    const started = performance.now();
    const finish = (err?: unknown): ConnectError | undefined => {
      const error = err === undefined ? undefined : toConnectError(err, method, req.signal, logger);
      logger.debug("rpc", {
        method,
        code: error ? Code[error.code] : "OK",
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
      return error;
    };
    let res;
    try {
      res = await next(req);
    } catch (err) {
      throw finish(err);
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
        throw finish(err);
      }
      finish();
    }
    return { ...res, message: observed() };
  };
}

function toConnectError(err: unknown, method: string, signal: AbortSignal, logger: Logger): ConnectError {
  if (err instanceof ConnectError) return err;
  // The client went away or the deadline passed: the handler's throw is a symptom, not a bug.
  if (signal.aborted) return ConnectError.from(signal.reason ?? err, Code.Canceled);
  logger.error("unexpected error in rpc handler", {
    method,
    error: err,
    stack: err instanceof Error ? err.stack : undefined,
  });
  return new ConnectError("internal error", Code.Internal, undefined, undefined, err);
}
