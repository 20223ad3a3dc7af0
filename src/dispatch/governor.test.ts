import { describe, it, expect } from "vitest";
import { createServiceGovernor, type Admission, type GovernanceSettings, type ServiceSlot } from "./governor.js";

const address = "payments:50051";

/** A governor on a fake clock whose timers run only when the test advances time, each `lateMs` late. */
function setup(settings: GovernanceSettings, lateMs = 0) {
  let time = 0;
  let nextHandle = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const waits: Array<[string, number, boolean]> = [];
  const governor = createServiceGovernor({
    settings,
    now: () => time,
    timers: {
      set(callback, ms) {
        timers.set(++nextHandle, { at: time + ms + lateMs, callback });
        return nextHandle;
      },
      clear: (handle) => void timers.delete(handle as number),
    },
    onWait: (a, waitedMs, admitted) => waits.push([a, waitedMs, admitted]),
  });
  /** Move the clock on, running every timer that falls due on the way, in order. */
  async function advance(ms: number): Promise<void> {
    const until = time + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) break;
      timers.delete(due[0]);
      time = Math.max(time, due[1].at);
      due[1].callback();
      await settle();
    }
    time = until;
    await settle();
  }
  /** A waiter's answer, readable once it has come. */
  function track(promise: Promise<Admission>) {
    const tracked: { admission?: Admission } = {};
    void promise.then((a) => (tracked.admission = a));
    return tracked;
  }
  const slot = (t: { admission?: Admission }) => t.admission as ServiceSlot;
  return { governor, advance, track, slot, waits, pendingTimers: () => timers.size };
}

/** Let resolved promises' callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("service governor", () => {
  it("admits every call at once and keeps nothing while no limit is set", () => {
    const { governor, waits } = setup({});
    expect(governor.active).toBe(false);
    for (let i = 0; i < 100; i++) expect(governor.tryAdmit(`host-${i}:1`)).toMatchObject({ waitedMs: 0 });
    expect(governor.services()).toEqual([]);
    expect(waits).toEqual([]);
  });

  it("caps calls in flight, then admits waiters in arrival order as calls end", async () => {
    const { governor, advance, track, slot } = setup({ maxConcurrency: 2 });
    const first = governor.tryAdmit(address)!;
    const second = governor.tryAdmit(address)!;
    expect(governor.tryAdmit(address)).toBeUndefined();
    const third = track(governor.wait(address, 1000));
    await advance(10);
    const fourth = track(governor.wait(address, 1000));
    await advance(10);
    expect(governor.services()).toEqual([{ address, maxConcurrency: 2, ratePerSecond: 0, burst: 0, inFlight: 2, waiting: 2 }]);
    // Room made by a release goes to the oldest waiter, not to a newcomer.
    second.release();
    await settle();
    expect(slot(third).waitedMs).toBe(20);
    expect(fourth.admission).toBeUndefined();
    expect(governor.tryAdmit(address)).toBeUndefined();
    first.release();
    await settle();
    expect(slot(fourth).waitedMs).toBe(10);
    slot(third).release();
    slot(fourth).release();
    // Governed by the defaults only, an idle address is forgotten.
    expect(governor.services()).toEqual([]);
  });

  it("gives a waiter up when only a tenth of its deadline (at most 100 ms) would be left, and the next one moves up", async () => {
    const { governor, advance, track, slot, waits } = setup({ maxConcurrency: 1 });
    const busy = governor.tryAdmit(address)!;
    const short = track(governor.wait(address, 500));
    const long = track(governor.wait(address, 5000));
    await advance(449);
    expect(short.admission).toBeUndefined();
    await advance(1);
    expect(short.admission).toBe("deadline");
    expect(governor.services()[0]).toMatchObject({ inFlight: 1, waiting: 1 });
    busy.release();
    await settle();
    expect(slot(long).waitedMs).toBe(450);
    expect(waits).toEqual([
      [address, 0, true],
      [address, 450, false],
      [address, 450, true],
    ]);
    // A deadline too short to wait for anything answers at once.
    expect(await governor.wait(address, 0)).toBe("deadline");
  });

  it("spaces calls by the rate after a burst, waking the head with one timer per token", async () => {
    const { governor, advance, track, slot, pendingTimers } = setup({ ratePerSecond: 10, burst: 2 });
    expect(governor.tryAdmit(address)).toBeDefined();
    expect(governor.tryAdmit(address)).toBeDefined();
    expect(governor.tryAdmit(address)).toBeUndefined();
    const waiters = [0, 1, 2].map(() => track(governor.wait(address, 10_000)));
    // Three deadline timers and the one token timer.
    expect(pendingTimers()).toBe(4);
    await advance(99);
    expect(waiters.map((w) => w.admission)).toEqual([undefined, undefined, undefined]);
    await advance(1);
    expect(slot(waiters[0]!).waitedMs).toBe(100);
    expect(waiters[1]!.admission).toBeUndefined();
    await advance(100);
    expect(slot(waiters[1]!).waitedMs).toBe(200);
    await advance(100);
    expect(slot(waiters[2]!).waitedMs).toBe(300);
    expect(pendingTimers()).toBe(0);
  });

  it("keeps the rate when the token timer fires late: the head takes its token as of when it was due", async () => {
    const { governor, advance, track } = setup({ ratePerSecond: 10, burst: 1 }, 30);
    governor.tryAdmit(address);
    const waiters = Array.from({ length: 20 }, () => track(governor.wait(address, 60_000)));
    await advance(1000);
    // Tokens fell due at 100, 200, …, 1000 ms; a timer 30 ms late each time must not make that 7.
    expect(waiters.filter((w) => w.admission !== undefined).length).toBeGreaterThanOrEqual(9);
    await advance(1000);
    expect(waiters.filter((w) => w.admission !== undefined).length).toBeGreaterThanOrEqual(19);
    expect(waiters.filter((w) => w.admission !== undefined).length).toBeLessThanOrEqual(20);
  });

  it("starts a bucket with one second's worth, at least one token, when no burst is set", async () => {
    const { governor, advance } = setup({ ratePerSecond: 3, services: { "slow:1": { ratePerSecond: 0.5 } } });
    expect([1, 2, 3, 4].map(() => governor.tryAdmit(address) !== undefined)).toEqual([true, true, true, false]);
    expect([1, 2].map(() => governor.tryAdmit("slow:1") !== undefined)).toEqual([true, false]);
    await advance(1999);
    expect(governor.tryAdmit("slow:1")).toBeUndefined();
    await advance(1);
    expect(governor.tryAdmit("slow:1")).toBeDefined();
  });

  it("holds both limits at once: a token is not enough while the cap is full", async () => {
    const { governor, advance, track, slot } = setup({ maxConcurrency: 1, ratePerSecond: 100, burst: 1 });
    const busy = governor.tryAdmit(address)!;
    const next = track(governor.wait(address, 1000));
    await advance(50);
    expect(next.admission).toBeUndefined();
    busy.release();
    await settle();
    expect(slot(next).waitedMs).toBe(50);
  });

  it("overrides the defaults per service, field by field, and a service may be freed of them", () => {
    const { governor } = setup({ maxConcurrency: 4, ratePerSecond: 50, services: { [address]: { maxConcurrency: 1 }, "free:1": { maxConcurrency: 0, ratePerSecond: 0 } } });
    expect(governor.services()).toEqual([{ address, maxConcurrency: 1, ratePerSecond: 50, burst: 50, inFlight: 0, waiting: 0 }]);
    expect(governor.tryAdmit("other:1")).toBeDefined();
    for (let i = 0; i < 10; i++) governor.tryAdmit("free:1");
    expect(governor.services().map((s) => [s.address, s.maxConcurrency, s.inFlight])).toEqual([
      ["other:1", 4, 1],
      [address, 1, 0],
    ]);
  });

  it("admits waiters at once when a reload raises the cap, and lets calls in flight finish when it lowers it", async () => {
    const { governor, track, slot } = setup({ maxConcurrency: 1 });
    const busy = governor.tryAdmit(address)!;
    const waiters = [0, 1, 2].map(() => track(governor.wait(address, 10_000)));
    governor.configure({ maxConcurrency: 3 });
    await settle();
    expect(waiters.map((w) => typeof w.admission)).toEqual(["object", "object", "undefined"]);
    governor.configure({ maxConcurrency: 1 });
    expect(governor.services()[0]).toMatchObject({ maxConcurrency: 1, inFlight: 3, waiting: 1 });
    busy.release();
    slot(waiters[0]!).release();
    await settle();
    expect(waiters[2]!.admission).toBeUndefined();
    slot(waiters[1]!).release();
    await settle();
    expect(slot(waiters[2]!).waitedMs).toBe(0);
  });

  it("re-times the token timer when a reload changes the rate, and frees everyone when the limits go", async () => {
    const { governor, advance, track, slot } = setup({ ratePerSecond: 1, burst: 1 });
    const initial = governor.tryAdmit(address)!;
    const first = track(governor.wait(address, 60_000));
    const second = track(governor.wait(address, 60_000));
    // 0.1 token came in 100 ms at the old rate; the 0.9 left comes in 90 ms at the new one.
    await advance(100);
    governor.configure({ ratePerSecond: 10, burst: 1 });
    await advance(89);
    expect(first.admission).toBeUndefined();
    await advance(1);
    expect(slot(first).waitedMs).toBe(190);
    await advance(10);
    governor.configure({});
    await settle();
    expect(slot(second).waitedMs).toBe(200);
    expect(governor.active).toBe(false);
    // Calls admitted under the old limits still end cleanly; then nothing is kept.
    expect(governor.services().map((s) => s.inFlight)).toEqual([3]);
    for (const s of [initial, slot(first), slot(second)]) s.release();
    expect(governor.services()).toEqual([]);
  });

  it("refuses a bad limit and keeps the limits it had", () => {
    const { governor } = setup({ maxConcurrency: 2 });
    expect(() => governor.configure({ maxConcurrency: 1.5 })).toThrow(RangeError);
    expect(() => governor.configure({ services: { [address]: { ratePerSecond: -1 } } })).toThrow(/service "payments:50051": ratePerSecond/);
    expect(() => governor.configure({ burst: Number.NaN })).toThrow(RangeError);
    expect(governor.services()).toEqual([]);
    governor.tryAdmit(address);
    expect(governor.services()[0]?.maxConcurrency).toBe(2);
  });

  it("answers every waiter at once when closed, and clears its timers", async () => {
    const { governor, track, pendingTimers } = setup({ maxConcurrency: 1, services: { "rated:1": { maxConcurrency: 0, ratePerSecond: 1, burst: 1 } } });
    governor.tryAdmit(address);
    governor.tryAdmit("rated:1");
    const waiters = [track(governor.wait(address, 10_000)), track(governor.wait("rated:1", 10_000))];
    expect(pendingTimers()).toBe(3);
    governor.close();
    await settle();
    expect(waiters.map((w) => w.admission)).toEqual(["closed", "closed"]);
    expect(pendingTimers()).toBe(0);
    expect(await governor.wait(address, 1000)).toBe("closed");
    expect(governor.services()).toEqual([]);
  });

  it("forgets an address once it is idle and its bucket full again, so memory follows the busy services", async () => {
    const { governor, advance } = setup({ maxConcurrency: 8, ratePerSecond: 1000, burst: 1 });
    for (let i = 0; i < 10_000; i++) governor.tryAdmit(`host-${i}:1`)?.release();
    // Each bucket is empty right after its call: an address is kept until its bucket has refilled.
    governor.tryAdmit("busy:1");
    expect(governor.services().length).toBe(10_001);
    await advance(1);
    expect(governor.services().map((s) => s.address)).toEqual(["busy:1"]);
    // A concurrency-only address is dropped as soon as its last call ends.
    const capped = setup({ maxConcurrency: 2 });
    capped.governor.tryAdmit(address)!.release();
    expect(capped.governor.services()).toEqual([]);
  });
});
