/**
 * A circuit breaker per branch address (DESIGN.md §4 "Circuit breaking"). Internal module.
 *
 * A dead service must never be hammered: after `failureThreshold` consecutive unknown outcomes
 * its circuit opens and calls fail fast; after `openMs` one probe is let through (half-open),
 * and its outcome closes or reopens the circuit.
 */

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions<Cause = undefined> {
  /** Consecutive unknown outcomes that open a closed circuit. Must be ≥ 1. */
  readonly failureThreshold: number;
  /** How long an open circuit fails fast before letting one probe through, in milliseconds. */
  readonly openMs: number;
  /** Monotonic clock in milliseconds. Default: `performance.now()`. */
  readonly now?: () => number;
  /**
   * Called on every state change of an address, e.g. to log it, with the `cause` given to
   * `acquire` for the call whose admission or report made the change (`undefined` when `state`
   * made it, or no cause was given).
   */
  readonly onStateChange?: (address: string, from: CircuitState, to: CircuitState, cause: Cause | undefined) => void;
}

/** Permission to make one call; report how it went exactly once. */
export interface CircuitPermit {
  /** Whether this call is the half-open probe. */
  readonly probe: boolean;
  /**
   * Report the call: `alive` when the service answered (success, failure or ongoing), false for
   * an unknown outcome. Later reports of the same permit are ignored.
   */
  record(alive: boolean): void;
}

export interface CircuitBreaker<Cause = undefined> {
  /**
   * A permit to call `address`, or `undefined` when the call must fail fast. `cause` describes
   * the call to `onStateChange` should it change the circuit.
   */
  acquire(address: string, cause?: Cause): CircuitPermit | undefined;
  /** The current state of `address` (an address never seen is closed). */
  state(address: string): CircuitState;
  /** Every address with something to remember: open, half-open, or closed with unknown outcomes in a row. */
  circuits(): CircuitSnapshot[];
}

/** One address's circuit as it stands. */
export interface CircuitSnapshot {
  readonly address: string;
  readonly state: CircuitState;
  /** Unknown outcomes in a row since the address last answered, failed probes included. */
  readonly consecutiveUnknown: number;
}

interface Circuit {
  state: CircuitState;
  consecutiveUnknown: number;
  openedAt: number;
  probeInFlight: boolean;
}

/** Create a breaker keeping one circuit per address. */
export function createCircuitBreaker<Cause = undefined>(options: CircuitBreakerOptions<Cause>): CircuitBreaker<Cause> {
  const { failureThreshold, openMs, now = () => performance.now(), onStateChange } = options;
  if (!(failureThreshold >= 1)) throw new RangeError(`failureThreshold must be ≥ 1, got ${failureThreshold}`);
  if (!(openMs >= 0)) throw new RangeError(`openMs must be ≥ 0, got ${openMs}`);
  // Only addresses with something to remember have a circuit, so the map stays as small as the
  // set of currently failing addresses; a healthy address has none and reads as closed.
  const circuits = new Map<string, Circuit>();

  function transition(address: string, circuit: Circuit, to: CircuitState, cause: Cause | undefined): void {
    const from = circuit.state;
    circuit.state = to;
    circuit.probeInFlight = false;
    if (to === "open") circuit.openedAt = now();
    if (to === "closed") circuits.delete(address);
    onStateChange?.(address, from, to, cause);
  }

  /** The outcome of a call admitted while the circuit was closed. */
  function recordClosed(address: string, alive: boolean, cause: Cause | undefined): void {
    let circuit = circuits.get(address);
    // A call admitted before the circuit opened, answering late, must not decide anything: only
    // the probe decides an open or half-open circuit.
    if (circuit !== undefined && circuit.state !== "closed") return;
    if (alive) {
      circuits.delete(address);
      return;
    }
    if (circuit === undefined) {
      circuit = { state: "closed", consecutiveUnknown: 0, openedAt: 0, probeInFlight: false };
      circuits.set(address, circuit);
    }
    circuit.consecutiveUnknown++;
    if (circuit.consecutiveUnknown >= failureThreshold) transition(address, circuit, "open", cause);
  }

  /** The outcome of the half-open probe. */
  function recordProbe(address: string, circuit: Circuit, alive: boolean, cause: Cause | undefined): void {
    // Identity check: the probe's circuit is the one still in the map and still waiting for it.
    if (circuits.get(address) !== circuit || circuit.state !== "half-open" || !circuit.probeInFlight) return;
    if (!alive) circuit.consecutiveUnknown++;
    transition(address, circuit, alive ? "closed" : "open", cause);
  }

  function permit(probe: boolean, report: (alive: boolean) => void): CircuitPermit {
    let recorded = false;
    return {
      probe,
      record(alive) {
        if (recorded) return;
        recorded = true;
        report(alive);
      },
    };
  }

  function refresh(address: string, circuit: Circuit, cause: Cause | undefined): void {
    if (circuit.state === "open" && now() - circuit.openedAt >= openMs) transition(address, circuit, "half-open", cause);
  }

  return {
    acquire(address, cause) {
      const circuit = circuits.get(address);
      if (circuit !== undefined) refresh(address, circuit, cause);
      if (circuit === undefined || circuit.state === "closed") {
        return permit(false, (alive) => recordClosed(address, alive, cause));
      }
      // Half-open lets exactly one probe through at a time.
      if (circuit.state === "open" || circuit.probeInFlight) return undefined;
      circuit.probeInFlight = true;
      return permit(true, (alive) => recordProbe(address, circuit, alive, cause));
    },
    state(address) {
      const circuit = circuits.get(address);
      if (circuit === undefined) return "closed";
      refresh(address, circuit, undefined);
      return circuit.state;
    },
    circuits() {
      return [...circuits].map(([address, circuit]) => {
        refresh(address, circuit, undefined);
        return { address, state: circuit.state, consecutiveUnknown: circuit.consecutiveUnknown };
      });
    },
  };
}
