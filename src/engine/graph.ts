/**
 * Step ordering for SAGA and MSG: which steps must succeed before a step runs, and which must be
 * compensated before a step is. Pure. Internal module.
 */
import type { TransactionSpec } from "../model.js";

/** `deps[i]`: indexes that must succeed before step i runs. Sequential = a chain. */
export function stepDependencies(spec: TransactionSpec): number[][] {
  return spec.steps.map((s, i) => (spec.concurrent ? [...s.after] : i > 0 ? [i - 1] : []));
}

/** `dependents[i]`: steps that ran after step i and so must be compensated before it. */
export function stepDependents(deps: readonly (readonly number[])[]): number[][] {
  const out: number[][] = deps.map(() => []);
  deps.forEach((ds, j) => ds.forEach((i) => out[i]!.push(j)));
  return out;
}

/**
 * Run tasks over a dependency graph with as much parallelism as it allows.
 *
 * `ready(i)` says whether step i may start (its prerequisites are done); `run(i)` performs it
 * and says whether to keep launching new steps. Steps already started always finish; once `run`
 * returns false no new step starts. Returns when nothing is running.
 */
export async function runGraph(
  count: number,
  isDone: (i: number) => boolean,
  ready: (i: number) => boolean,
  run: (i: number) => Promise<boolean>,
  maxParallel: number,
): Promise<void> {
  const running = new Map<number, Promise<number>>();
  const started = new Set<number>();
  let launching = true;
  let failure: { error: unknown } | undefined;
  for (;;) {
    if (launching) {
      for (let i = 0; i < count && running.size < maxParallel; i++) {
        if (started.has(i) || isDone(i) || !ready(i)) continue;
        started.add(i);
        running.set(
          i,
          run(i).then(
            (keepGoing) => {
              if (!keepGoing) launching = false;
              return i;
            },
            (error: unknown) => {
              // Let the steps already running finish before the error surfaces.
              launching = false;
              failure ??= { error };
              return i;
            },
          ),
        );
      }
    }
    if (running.size === 0) {
      if (failure) throw failure.error;
      return;
    }
    const finished = await Promise.race(running.values());
    running.delete(finished);
  }
}
