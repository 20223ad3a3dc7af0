import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit.js";

interface Item {
  readonly key: string;
  readonly value: number;
}

/** A group commit over a fake statement that records its batches and answers after `delayMs`. */
function recorded(options: { maxBatch?: number; maxConcurrent?: number; delayMs?: number; failWhen?: (items: readonly Item[]) => boolean } = {}) {
  const batches: Item[][] = [];
  let running = 0;
  let mostRunning = 0;
  const group = createGroupCommit<Item, number>({
    keyOf: (i) => i.key,
    maxBatch: options.maxBatch ?? 64,
    maxConcurrent: options.maxConcurrent ?? 2,
    async write(items) {
      batches.push([...items]);
      running++;
      mostRunning = Math.max(mostRunning, running);
      await new Promise((r) => setTimeout(r, options.delayMs ?? 5));
      running--;
      if (options.failWhen?.(items)) throw new Error(`batch of ${items.length} failed`);
      return items.map((i) => i.value * 10);
    },
  });
  return { group, batches, mostRunning: () => mostRunning };
}

describe("group commit", () => {
  it("sends a lone write at once, alone", async () => {
    const { group, batches } = recorded();
    expect(await group.submit({ key: "a", value: 1 })).toBe(10);
    expect(batches).toEqual([[{ key: "a", value: 1 }]]);
  });

  it("shares statements between concurrent writes, each answered with its own result", async () => {
    const { group, batches, mostRunning } = recorded({ maxBatch: 16, maxConcurrent: 2 });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => group.submit({ key: `k${i}`, value: i })));
    expect(answers).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    expect(batches.length).toBeLessThan(20);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(16);
    expect(mostRunning()).toBeLessThanOrEqual(2);
    expect(batches.flat().map((i) => i.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(group.stats).toMatchObject({ inFlight: 0, queued: 0, writes: 100, batches: batches.length });
  });

  it("never puts two writes with one key in one batch, and keeps their order", async () => {
    const { group, batches } = recorded();
    const answers = await Promise.all([1, 2, 3].map((value) => group.submit({ key: "same", value })));
    expect(answers).toEqual([10, 20, 30]);
    for (const b of batches) expect(new Set(b.map((i) => i.key)).size).toBe(b.length);
    expect(batches.flat().map((i) => i.value)).toEqual([1, 2, 3]);
  });

  it("fails only the write that fails alone when a shared statement fails", async () => {
    const { group } = recorded({ failWhen: (items) => items.some((i) => i.value === 13) });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => group.submit({ key: `k${i}`, value: i })));
    const rejected = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(rejected).toEqual([13]);
    expect(results[12]).toEqual({ status: "fulfilled", value: 120 });
  });
});
