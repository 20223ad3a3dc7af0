/**
 * Retry delays (DESIGN.md §4 "Retries"). Internal module.
 */
import type { RetryPolicy } from "../model.js";

/** ±20 %: spreads the retries of many branches that failed together (one service went down). */
const jitter = 0.2;

/**
 * The delay before the next attempt, in milliseconds:
 * `min(maxIntervalMs, initialIntervalMs × backoffMultiplier^(attempts−1))` with ±20 % jitter.
 *
 * @param attempts - attempts made so far (values below 1 count as 1).
 * @param random - a source of uniform numbers in [0, 1); inject one for deterministic tests.
 * @returns a whole, non-negative number of milliseconds.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(1, Math.floor(attempts)) - 1;
  const raw = policy.initialIntervalMs * Math.pow(policy.backoffMultiplier, exponent);
  // NaN (a 0 × Infinity) or a huge power both mean "as long as allowed".
  const base = Number.isFinite(raw) ? Math.min(policy.maxIntervalMs, raw) : policy.maxIntervalMs;
  const factor = 1 - jitter + 2 * jitter * random();
  return Math.max(0, Math.round(base * factor));
}
