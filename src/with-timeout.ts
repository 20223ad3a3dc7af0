/**
 * A bounded wait, for the places (shutdown, draining) that must not wait for ever. Internal module.
 */

/** `promise`'s value, or `undefined` once `ms` have passed; the timer is cleared either way. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}
