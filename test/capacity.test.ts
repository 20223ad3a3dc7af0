/**
 * An instance drives a bounded number of transactions at once; what does not fit waits in the
 * store and is picked up by the scheduler as room frees up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saga, TransactionStatus } from "../src/client/index.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

describe("capacity", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  beforeAll(async () => {
    bank = await startFakeBank({ slowMs: 300 });
    c = await startTestCoordinator("postgres", { maxInFlight: 1 });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });

  it("sagas beyond max_in_flight are stored, then driven as room frees up", async () => {
    bank.setDefault("TransIn", "slow");
    const submitted = await Promise.all(
      ["cap-1", "cap-2", "cap-3"].map(async (gid) =>
        (await saga(c.client, gid)).add(bank.target("TransOut"), "", new Uint8Array(1)).add(bank.target("TransIn"), "", new Uint8Array(1)).submit(),
      ),
    );
    expect(submitted.every((t) => t.status === TransactionStatus.SUBMITTED)).toBe(true);
    const finished = await Promise.all(
      submitted.map((t) => c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === t.gid, 20_000)),
    );
    expect(finished.map((e) => e.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    // One at a time: no two TransIn calls overlapped.
    const calls = bank.calls("TransIn").map((x) => x.at).sort((a, b) => a - b);
    for (let i = 1; i < calls.length; i++) expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(250);
  });
});
