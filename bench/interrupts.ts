/**
 * How both benches (saga-bench.ts, dtm-bench.ts) take SIGINT and SIGTERM: the first stops the
 * load and lets the bench undo what it started; a second kills every process it started (tracked
 * by dtm-bench-procs.ts) and exits 130 at once. Internal module.
 */
import { killAllChildren } from "./dtm-bench-procs.js";

export interface Interrupts {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** Throws once a signal has come: call it between steps that start something. */
  interrupted(): void;
}

/** Install the handlers; `log` says what happens. */
export function onInterrupts(log: (message: string) => void): Interrupts {
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (++signals > 1) {
      killAllChildren();
      process.exit(130);
    }
    log(`${name}: stopping the load and every process started (again to kill them at once)`);
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: abort.signal,
    interrupted() {
      if (abort.signal.aborted) throw new Error("interrupted");
    },
  };
}
