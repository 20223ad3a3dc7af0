import { describe, it, expect } from "vitest";
import type { RetryPolicy } from "../model.js";
import { retryDelayMs } from "./backoff.js";

const policy: RetryPolicy = { initialIntervalMs: 1000, maxIntervalMs: 60_000, backoffMultiplier: 2, maxAttempts: 0 };
const middle = () => 0.5;

describe("retryDelayMs", () => {
  it("waits the initial interval after the first attempt", () => {
    expect(retryDelayMs(policy, 1, middle)).toBe(1000);
  });

  it("multiplies the interval by the multiplier for every further attempt", () => {
    expect([2, 3, 4].map((n) => retryDelayMs(policy, n, middle))).toEqual([2000, 4000, 8000]);
  });

  it("never waits longer than the max interval, however many attempts", () => {
    expect(retryDelayMs(policy, 7, middle)).toBe(60_000);
    expect(retryDelayMs(policy, 10_000, middle)).toBe(60_000);
  });

  it("adds at most 20 % jitter either way", () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(800);
    expect(retryDelayMs(policy, 1, () => 0.999_999)).toBe(1200);
    expect(retryDelayMs(policy, 100, () => 0)).toBe(48_000);
  });

  it("treats attempts below 1 as the first attempt", () => {
    expect(retryDelayMs(policy, 0, middle)).toBe(1000);
    expect(retryDelayMs(policy, -3, middle)).toBe(1000);
  });

  it("is never negative", () => {
    expect(retryDelayMs({ ...policy, initialIntervalMs: 0 }, 5, () => 0)).toBe(0);
    expect(retryDelayMs({ ...policy, initialIntervalMs: 0, backoffMultiplier: Infinity }, 5, () => 0)).toBe(48_000);
  });

  it("uses Math.random when no source is given, within the jitter bounds", () => {
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(policy, 2);
      expect(delay).toBeGreaterThanOrEqual(1600);
      expect(delay).toBeLessThanOrEqual(2400);
    }
  });
});
