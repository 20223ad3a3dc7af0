import { describe, it, expect } from "vitest";
import { createCircuitBreaker, type CircuitState } from "./circuit-breaker.js";

const address = "127.0.0.1:50051";

function setup(failureThreshold = 3, openMs = 100) {
  let time = 0;
  const changes: Array<[CircuitState, CircuitState]> = [];
  const breaker = createCircuitBreaker({
    failureThreshold,
    openMs,
    now: () => time,
    onStateChange: (_address, from, to) => changes.push([from, to]),
  });
  const fail = (n: number) => {
    for (let i = 0; i < n; i++) breaker.acquire(address)?.record(false);
  };
  return { breaker, changes, fail, advance: (ms: number) => void (time += ms) };
}

describe("circuit breaker", () => {
  it("lets every call through while an address is healthy", () => {
    const { breaker } = setup();
    for (let i = 0; i < 10; i++) breaker.acquire(address)?.record(true);
    expect(breaker.acquire(address)).toBeDefined();
    expect(breaker.state(address)).toBe("closed");
  });

  it("opens after the threshold of consecutive unknown outcomes and then fails fast", () => {
    const { breaker, fail, changes } = setup(3);
    fail(2);
    expect(breaker.state(address)).toBe("closed");
    fail(1);
    expect(breaker.state(address)).toBe("open");
    expect(breaker.acquire(address)).toBeUndefined();
    expect(changes).toEqual([["closed", "open"]]);
  });

  it("resets the count when the service answers, so only consecutive unknowns open it", () => {
    const { breaker, fail } = setup(3);
    fail(2);
    breaker.acquire(address)?.record(true);
    fail(2);
    expect(breaker.state(address)).toBe("closed");
  });

  it("keeps circuits of different addresses apart", () => {
    const { breaker, fail } = setup(1);
    fail(1);
    expect(breaker.acquire(address)).toBeUndefined();
    expect(breaker.acquire("127.0.0.1:50052")).toBeDefined();
  });

  it("half-opens after openMs and lets exactly one probe through at a time", () => {
    const { breaker, fail, advance } = setup(1, 100);
    fail(1);
    advance(99);
    expect(breaker.acquire(address)).toBeUndefined();
    advance(1);
    expect(breaker.state(address)).toBe("half-open");
    const probe = breaker.acquire(address);
    expect(probe?.probe).toBe(true);
    expect(breaker.acquire(address)).toBeUndefined();
    expect(breaker.acquire(address)).toBeUndefined();
  });

  it("closes when the probe succeeds", () => {
    const { breaker, fail, advance, changes } = setup(1, 100);
    fail(1);
    advance(100);
    breaker.acquire(address)?.record(true);
    expect(breaker.state(address)).toBe("closed");
    expect(breaker.acquire(address)?.probe).toBe(false);
    expect(changes).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "closed"],
    ]);
  });

  it("reopens for another openMs when the probe is unknown", () => {
    const { breaker, fail, advance } = setup(1, 100);
    fail(1);
    advance(150);
    breaker.acquire(address)?.record(false);
    expect(breaker.state(address)).toBe("open");
    advance(99);
    expect(breaker.acquire(address)).toBeUndefined();
    advance(1);
    expect(breaker.acquire(address)?.probe).toBe(true);
  });

  it("lists open circuits with the unknown outcomes in a row that opened them, failed probes added", () => {
    const { breaker, fail, advance } = setup(3, 100);
    fail(3);
    expect(breaker.circuits()).toEqual([{ address, state: "open", consecutiveUnknown: 3 }]);
    advance(100);
    expect(breaker.circuits()).toEqual([{ address, state: "half-open", consecutiveUnknown: 3 }]);
    breaker.acquire(address)?.record(false);
    expect(breaker.circuits()).toEqual([{ address, state: "open", consecutiveUnknown: 4 }]);
    advance(100);
    breaker.acquire(address)?.record(true);
    expect(breaker.circuits()).toEqual([]);
  });

  it("ignores late answers of calls admitted before the circuit opened", () => {
    const { breaker, fail, advance } = setup(2, 100);
    const lateSuccess = breaker.acquire(address);
    const lateUnknown = breaker.acquire(address);
    fail(2);
    lateSuccess?.record(true);
    expect(breaker.state(address)).toBe("open");
    advance(100);
    const probe = breaker.acquire(address);
    lateUnknown?.record(false);
    expect(breaker.state(address)).toBe("half-open");
    probe?.record(true);
    expect(breaker.state(address)).toBe("closed");
  });

  it("counts a permit's report once", () => {
    const { breaker } = setup(2);
    const permit = breaker.acquire(address);
    permit?.record(false);
    permit?.record(false);
    expect(breaker.state(address)).toBe("closed");
  });

  it("tells each change the cause of the call whose admission or report made it", () => {
    let time = 0;
    const changes: Array<[CircuitState, string | undefined]> = [];
    const breaker = createCircuitBreaker<string>({
      failureThreshold: 2,
      openMs: 100,
      now: () => time,
      onStateChange: (_address, _from, to, cause) => changes.push([to, cause]),
    });
    const first = breaker.acquire(address, "first");
    const second = breaker.acquire(address, "second");
    second?.record(false);
    first?.record(false);
    time += 100;
    const probe = breaker.acquire(address, "probe");
    probe?.record(true);
    expect(changes).toEqual([
      ["open", "first"],
      ["half-open", "probe"],
      ["closed", "probe"],
    ]);
  });

  it("rejects a threshold below 1", () => {
    expect(() => createCircuitBreaker({ failureThreshold: 0, openMs: 100 })).toThrow(RangeError);
  });
});
