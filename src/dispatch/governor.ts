/**
 * Governance per branch service: a cap on calls in flight and a token-bucket rate limit per
 * address, the same `host:port` a circuit is kept by. Internal module.
 *
 * The breaker protects Concord from a dead service; the governor protects a live one from
 * Concord: after an outage, RetryAllNow or a burst of submits must not hit a service with more
 * than it is sized for. A call that finds no room waits, in arrival order, for a release or for
 * the next token, but never past its own deadline: running out of room is Concord's doing, so it
 * is answered as an unknown outcome the breaker never hears of.
 *
 * Nothing polls: a waiter is woken by a release, or by the one timer per address set for when the
 * next token is due. State exists only for addresses that are governed and busy (calls in
 * flight or waiting, or a bucket still refilling), so an instance calling many services keeps
 * memory for the ones it is calling now.
 */

/** One branch service's limits; an absent field takes the governor's default. */
export interface ServiceLimits {
  /** Calls in flight at once; 0 = no cap. */
  readonly maxConcurrency?: number;
  /** Calls per second (a token bucket), fractions allowed; 0 = no limit. */
  readonly ratePerSecond?: number;
  /** The bucket's size: calls allowed at once after a quiet spell; 0 = one second's worth (at least 1). */
  readonly burst?: number;
}

/** Limits for every branch service, and per service (`host:port`) overrides of them, field by field. */
export interface GovernanceSettings extends ServiceLimits {
  /** Per branch address (`host:port`, as a circuit is kept): what differs from the defaults. */
  readonly services?: Readonly<Record<string, ServiceLimits>>;
}

/** One governed branch service as it stands. */
export interface GovernedService {
  readonly address: string;
  /** Calls in flight at once; 0 = no cap. */
  readonly maxConcurrency: number;
  /** Calls per second; 0 = no limit. */
  readonly ratePerSecond: number;
  /** The token bucket's size in calls (0 without a rate limit). */
  readonly burst: number;
  /** Calls admitted and not yet answered. */
  readonly inFlight: number;
  /** Calls waiting for room. */
  readonly waiting: number;
}

/** Room for one call. Release it once the call is over (later releases are ignored). */
export interface ServiceSlot {
  /** How long the call waited for room, in milliseconds (0 when admitted at once). */
  readonly waitedMs: number;
  release(): void;
}

/** How a wait for room ended: with room, at the call's deadline, or because the governor closed. */
export type Admission = ServiceSlot | "deadline" | "closed";

/** Timers, injectable for tests. */
export interface GovernorTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface GovernorOptions {
  /** The limits to start with. Default: none (every call admitted at once, nothing kept). */
  readonly settings?: GovernanceSettings;
  /** Monotonic clock in milliseconds. Default: `performance.now()`. */
  readonly now?: () => number;
  /** Default: the global `setTimeout` and `clearTimeout`. */
  readonly timers?: GovernorTimers;
  /**
   * Told of every call to a governed address: how long it waited for room, in milliseconds, and
   * whether it got room (false: its deadline came first). E.g. metrics.
   */
  readonly onWait?: (address: string, waitedMs: number, admitted: boolean) => void;
}

export interface ServiceGovernor {
  /** Whether any limit is set; while false, `tryAdmit` always admits and callers may skip it. */
  readonly active: boolean;
  /**
   * Room for a call to `address` now: a slot (a free one for an address without limits), or
   * `undefined` when the call would have to wait (no room, or earlier calls wait already).
   */
  tryAdmit(address: string): ServiceSlot | undefined;
  /**
   * Wait for room behind the calls already waiting. Gives up (`"deadline"`) when so little of
   * `timeoutMs` would be left that the call would time out at the service instead: a tenth of
   * it, at most 100 ms.
   */
  wait(address: string, timeoutMs: number): Promise<Admission>;
  /**
   * Apply new limits at once: a higher cap or rate admits waiters now; a lower one lets calls in
   * flight finish and admits no more until they are under it.
   */
  configure(settings: GovernanceSettings): void;
  /**
   * Every address with limits set for it, or with governed calls in flight, waiting, or a bucket
   * still refilling. Forgets the idle ones.
   */
  services(): GovernedService[];
  /** Answer every waiter `"closed"` and forget everything. Idempotent. */
  close(): void;
}

/** Effective limits of one address. */
interface Limits {
  /** `Infinity` for no cap. */
  readonly maxConcurrency: number;
  /** Tokens per millisecond; 0 = no rate limit. */
  readonly ratePerMs: number;
  readonly ratePerSecond: number;
  /** Bucket size; 0 without a rate limit. */
  readonly capacity: number;
}

interface Waiter {
  readonly enqueuedAt: number;
  /** Still in its address's queue (not admitted, given up or answered by close). */
  queued: boolean;
  readonly resolve: (admission: Admission) => void;
  timer: unknown;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

interface ServiceState {
  readonly address: string;
  /** `undefined` once the address lost its limits (a reconfigure): kept only until its calls end. */
  limits: Limits | undefined;
  inFlight: number;
  tokens: number;
  refilledAt: number;
  /** Waiters, oldest first: a doubly linked list, so one whose deadline passes leaves in O(1). */
  head: Waiter | undefined;
  tail: Waiter | undefined;
  waiting: number;
  /** The timer of the next token, while the head waits for one. */
  tokenTimer: unknown;
}

/** The longest part of a deadline a waiter keeps for the call itself, in milliseconds. */
const maxReserveMs = 100;
const freeSlot: ServiceSlot = Object.freeze({ waitedMs: 0, release() {} });
const defaultTimers: GovernorTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Create a governor; with no limits set it keeps nothing and admits every call at once. */
export function createServiceGovernor(options: GovernorOptions = {}): ServiceGovernor {
  const now = options.now ?? (() => performance.now());
  const timers = options.timers ?? defaultTimers;
  const onWait = options.onWait;
  const states = new Map<string, ServiceState>();
  /** Limits of the addresses `services` names (`undefined`: named, and without limits). */
  let perService = new Map<string, Limits | undefined>();
  let defaults: Limits | undefined;
  let active = false;
  let closed = false;
  /**
   * The state count at which idle states are looked for and dropped next: a rate-limited state
   * stays after its last call until its bucket is full again, and no timer is kept for that, so
   * states are swept when their number doubles (amortised O(1) a call) and when `services()` is read.
   */
  let sweepAt = 64;

  const limitsOf = (address: string): Limits | undefined => (perService.has(address) ? perService.get(address) : defaults);

  function refill(state: ServiceState, at: number): void {
    const limits = state.limits;
    if (limits === undefined || limits.ratePerMs === 0) return;
    state.tokens = Math.min(limits.capacity, state.tokens + (at - state.refilledAt) * limits.ratePerMs);
    state.refilledAt = at;
  }

  /** Room for one more call now, its token taken when there is. */
  function take(state: ServiceState, at: number): boolean {
    const limits = state.limits;
    if (limits === undefined) return true;
    if (state.inFlight >= limits.maxConcurrency) return false;
    if (limits.ratePerMs > 0) {
      refill(state, at);
      // The token timer fires when a token is due to the millisecond: rounding must not miss it.
      if (state.tokens < 1 - 1e-9) return false;
      state.tokens -= 1;
    }
    return true;
  }

  function slot(state: ServiceState, waitedMs: number): ServiceSlot {
    state.inFlight++;
    let released = false;
    return {
      waitedMs,
      release() {
        if (released) return;
        released = true;
        state.inFlight--;
        // A state dropped (close) or replaced meanwhile has nobody left to wake.
        if (states.get(state.address) !== state) return;
        pump(state);
        dropIfIdle(state);
      },
    };
  }

  function unlink(state: ServiceState, waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else state.head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else state.tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    waiter.queued = false;
    state.waiting--;
  }

  /**
   * Admit waiters from the head while there is room; arm the token timer when a token is what the
   * head lacks. `tokenDueAt`: woken by that timer, when the token was due.
   */
  function pump(state: ServiceState, tokenDueAt?: number): void {
    for (let waiter = state.head; waiter !== undefined; waiter = state.head) {
      const at = now();
      // However late the timer fires, the head takes its token as of when it was due (or when it
      // came, if later): with a bucket of one, a late timer would otherwise lose the rate its lateness.
      const takenAt = tokenDueAt === undefined ? at : Math.min(at, Math.max(tokenDueAt, waiter.enqueuedAt, state.refilledAt));
      tokenDueAt = undefined;
      if (!take(state, takenAt)) {
        const limits = state.limits!;
        // A full cap is lifted by a release; only a missing token needs the clock.
        if (state.inFlight < limits.maxConcurrency) armTokenTimer(state, (1 - state.tokens) / limits.ratePerMs);
        return;
      }
      if (takenAt < at) refill(state, at);
      unlink(state, waiter);
      timers.clear(waiter.timer);
      const waitedMs = at - waiter.enqueuedAt;
      if (state.limits !== undefined) onWait?.(state.address, waitedMs, true);
      waiter.resolve(slot(state, waitedMs));
    }
    cancelTokenTimer(state);
  }

  function armTokenTimer(state: ServiceState, dueInMs: number): void {
    if (state.tokenTimer !== undefined) return;
    const delayMs = Math.max(1, Math.ceil(dueInMs));
    const dueAt = state.refilledAt + delayMs;
    state.tokenTimer = timers.set(() => {
      state.tokenTimer = undefined;
      pump(state, dueAt);
      dropIfIdle(state);
    }, delayMs);
  }

  function cancelTokenTimer(state: ServiceState): void {
    if (state.tokenTimer === undefined) return;
    timers.clear(state.tokenTimer);
    state.tokenTimer = undefined;
  }

  /** Idle: nothing in flight or waiting, and a bucket as full as a fresh state's would be. */
  function isIdle(state: ServiceState, at: number): boolean {
    if (state.inFlight > 0 || state.head !== undefined) return false;
    const limits = state.limits;
    if (limits === undefined || limits.ratePerMs === 0) return true;
    refill(state, at);
    return state.tokens >= limits.capacity;
  }

  function dropIfIdle(state: ServiceState): void {
    if (states.get(state.address) === state && isIdle(state, now())) {
      cancelTokenTimer(state);
      states.delete(state.address);
    }
  }

  /** Drop idle states whose buckets have refilled since their calls ended (nothing else wakes them). */
  function sweep(): void {
    const at = now();
    for (const state of states.values()) {
      if (isIdle(state, at)) {
        cancelTokenTimer(state);
        states.delete(state.address);
      }
    }
    sweepAt = Math.max(64, 2 * states.size);
  }

  /** The address's state, created (with a full bucket) when it has limits; `undefined` when it is free. */
  function stateOf(address: string): ServiceState | undefined {
    const existing = states.get(address);
    if (existing !== undefined) return existing;
    const limits = limitsOf(address);
    if (limits === undefined) return undefined;
    if (states.size >= sweepAt) sweep();
    const state: ServiceState = {
      address,
      limits,
      inFlight: 0,
      tokens: limits.capacity,
      refilledAt: now(),
      head: undefined,
      tail: undefined,
      waiting: 0,
      tokenTimer: undefined,
    };
    states.set(address, state);
    return state;
  }

  function tryAdmit(address: string): ServiceSlot | undefined {
    if (closed) return freeSlot;
    const state = stateOf(address);
    if (state === undefined) return freeSlot;
    if (state.head !== undefined || !take(state, now())) return undefined;
    if (state.limits !== undefined) onWait?.(address, 0, true);
    return slot(state, 0);
  }

  function wait(address: string, timeoutMs: number): Promise<Admission> {
    if (closed) return Promise.resolve("closed");
    const state = stateOf(address);
    if (state === undefined) return Promise.resolve(freeSlot);
    const enqueuedAt = now();
    if (state.head === undefined && take(state, enqueuedAt)) {
      if (state.limits !== undefined) onWait?.(address, 0, true);
      return Promise.resolve(slot(state, 0));
    }
    const giveUpMs = timeoutMs - Math.min(maxReserveMs, timeoutMs / 10);
    if (!(giveUpMs > 0)) {
      onWait?.(address, 0, false);
      dropIfIdle(state);
      return Promise.resolve("deadline");
    }
    return new Promise<Admission>((resolve) => {
      const waiter: Waiter = { enqueuedAt, queued: true, resolve, timer: undefined, prev: state.tail, next: undefined };
      if (state.tail) state.tail.next = waiter;
      else state.head = waiter;
      state.tail = waiter;
      state.waiting++;
      waiter.timer = timers.set(() => {
        // Admitted, or answered by close, in the meantime: the slot or the answer stands.
        if (!waiter.queued) return;
        unlink(state, waiter);
        onWait?.(address, now() - enqueuedAt, false);
        resolve("deadline");
        // Whoever waited behind it faces the same lack of room, except when it lacked a token
        // and nobody waits any more: then the token timer has nobody to wake.
        if (state.head === undefined) cancelTokenTimer(state);
        dropIfIdle(state);
      }, giveUpMs);
      pump(state);
    });
  }

  function configure(settings: GovernanceSettings): void {
    const nextDefaults = effectiveLimits(settings, {}, "the default");
    const nextPerService = new Map<string, Limits | undefined>();
    for (const [address, own] of Object.entries(settings.services ?? {})) {
      nextPerService.set(address, effectiveLimits(settings, own, `service "${address}"`));
    }
    if (closed) return;
    defaults = nextDefaults;
    perService = nextPerService;
    active = defaults !== undefined || [...perService.values()].some((l) => l !== undefined);
    const at = now();
    for (const state of [...states.values()]) {
      refill(state, at);
      const before = state.limits;
      const limits = limitsOf(state.address);
      state.limits = limits;
      if (limits !== undefined) {
        // A bucket that was not kept starts full, as a fresh state's; a smaller one holds no more
        // than its size; the new rate counts from now.
        state.tokens = before === undefined || before.ratePerMs === 0 ? limits.capacity : Math.min(state.tokens, limits.capacity);
        state.refilledAt = at;
      }
      // The token due may have moved: pump re-arms for the new rate.
      cancelTokenTimer(state);
      pump(state);
      dropIfIdle(state);
    }
  }

  if (options.settings !== undefined) configure(options.settings);

  return {
    get active() {
      return active;
    },
    tryAdmit,
    wait,
    configure,
    services() {
      // A scrape or a dashboard reads this regularly: a good moment to forget refilled idle states.
      sweep();
      const listed = new Map<string, GovernedService>();
      const describe = (address: string, limits: Limits | undefined, state: ServiceState | undefined): GovernedService => ({
        address,
        maxConcurrency: limits === undefined || limits.maxConcurrency === Infinity ? 0 : limits.maxConcurrency,
        ratePerSecond: limits?.ratePerSecond ?? 0,
        burst: limits?.capacity ?? 0,
        inFlight: state?.inFlight ?? 0,
        waiting: state?.waiting ?? 0,
      });
      for (const [address, limits] of perService) {
        if (limits !== undefined) listed.set(address, describe(address, limits, states.get(address)));
      }
      for (const state of states.values()) listed.set(state.address, describe(state.address, state.limits, state));
      return [...listed.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    },
    close() {
      if (closed) return;
      closed = true;
      for (const state of states.values()) {
        cancelTokenTimer(state);
        for (let waiter = state.head; waiter !== undefined; waiter = state.head) {
          unlink(state, waiter);
          timers.clear(waiter.timer);
          waiter.resolve("closed");
        }
      }
      states.clear();
      perService = new Map();
      defaults = undefined;
      active = false;
    },
  };
}

/** An address's limits from the defaults and its own overrides; `undefined` when it has none. */
function effectiveLimits(defaults: ServiceLimits, own: ServiceLimits, what: string): Limits | undefined {
  const maxConcurrency = checked(own.maxConcurrency ?? defaults.maxConcurrency ?? 0, `${what}: maxConcurrency`, true);
  const ratePerSecond = checked(own.ratePerSecond ?? defaults.ratePerSecond ?? 0, `${what}: ratePerSecond`, false);
  const burst = checked(own.burst ?? defaults.burst ?? 0, `${what}: burst`, false);
  if (maxConcurrency === 0 && ratePerSecond === 0) return undefined;
  return {
    maxConcurrency: maxConcurrency === 0 ? Infinity : maxConcurrency,
    ratePerMs: ratePerSecond / 1000,
    ratePerSecond,
    // A bucket under one token would never admit anything.
    capacity: ratePerSecond === 0 ? 0 : Math.max(1, burst > 0 ? burst : ratePerSecond),
  };
}

function checked(value: number, what: string, integer: boolean): number {
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isSafeInteger(value))) {
    throw new RangeError(`${what} must be ${integer ? "an integer" : "a number"} of 0 or more, got ${value}`);
  }
  return value;
}
