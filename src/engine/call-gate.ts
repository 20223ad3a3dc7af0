/**
 * The gate every API call of one coordinator passes: it counts the calls in flight, and at
 * shutdown refuses new ones, interrupts the ones waiting for a result (UNAVAILABLE: the
 * transaction goes on, another instance can answer) and waits for the rest to end before the
 * store closes under them. Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { withTimeout } from "../with-timeout.js";

/** A gate that admits calls until `refuse()` or `end()`. */
export function createCallGate() {
  let refusing = false;
  let ended = false;
  let active = 0;
  let idle: (() => void) | undefined;
  /** Rejecters of the waits in progress (one entry per waiting call, removed when it settles). */
  const waits = new Set<(error: ConnectError) => void>();

  const refused = () => new ConnectError("coordinator is shutting down; ask another instance", Code.Unavailable);
  const interrupted = () => new ConnectError("coordinator is shutting down; the transaction goes on, ask another instance", Code.Unavailable);

  return {
    /** False once calls are refused (shutdown has begun): work started on a caller's behalf stops too. */
    get open(): boolean {
      return !refusing;
    },
    admit(): void {
      if (refusing) throw refused();
    },
    /** `op` as a function that runs only through this gate (see `run`). */
    admitted<A extends unknown[], R>(op: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
      return (...args: A) => this.run(() => op(...args));
    },
    async run<R>(op: () => Promise<R>): Promise<R> {
      if (refusing) throw refused();
      active++;
      try {
        return await op();
      } finally {
        if (--active === 0) idle?.();
      }
    },
    /**
     * `promise`'s value, or undefined after `timeoutMs` (default: no limit), or UNAVAILABLE as soon
     * as the calls are ended. Its timer is cleared however it ends.
     */
    wait<T>(promise: Promise<T>, timeoutMs?: number): Promise<T | undefined> {
      if (ended) return Promise.reject(interrupted());
      return new Promise<T | undefined>((resolve, reject) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(() => resolve(undefined)), timeoutMs);
        const interrupt = (error: ConnectError) => settle(() => reject(error));
        function settle(how: () => void): void {
          clearTimeout(timer);
          waits.delete(interrupt);
          how();
        }
        waits.add(interrupt);
        promise.then(
          (value) => settle(() => resolve(value)),
          (error: unknown) => settle(() => reject(error)),
        );
      });
    },
    /** `promise`'s value, or UNAVAILABLE as soon as the calls are ended. */
    interruptible<T>(promise: Promise<T>): Promise<T> {
      return this.wait(promise) as Promise<T>;
    },
    refuse(): void {
      refusing = true;
    },
    async end(timeoutMs: number): Promise<boolean> {
      refusing = true;
      ended = true;
      for (const reject of waits) reject(interrupted());
      waits.clear();
      if (active === 0) return true;
      const done = await withTimeout(new Promise<true>((resolve) => (idle = () => resolve(true))), timeoutMs);
      idle = undefined;
      return done ?? false;
    },
  };
}

export type CallGate = ReturnType<typeof createCallGate>;
