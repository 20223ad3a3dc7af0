/**
 * TCC scenarios over real gRPC against the fake bank, on each store dialect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { Code, ConnectError } from "@connectrpc/connect";
import { tcc, tccFromBranch, branchInfoFromGrpc, closeBranchChannels, rawBytesService, TransactionStatus, Mode } from "../src/client/index.js";
import { dialects } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

const payload = (s: string) => new TextEncoder().encode(s);

describe.each(dialects)("tcc on %s", (dialect) => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let nested: grpc.Server;
  let nestedAddress = "";

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator(dialect);
    // A branch service whose try opens a nested TCC with one sub-branch on the bank.
    nested = new grpc.Server();
    nested.addService(
      rawBytesService("shop.v1.ShopService", ["Try"]),
      {
        Try: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          const sub = tccFromBranch(c.client, branchInfoFromGrpc(call.metadata));
          sub.callBranch(call.request, bank.target("Try"), bank.target("Confirm"), bank.target("Cancel")).then(
            () => callback(null, call.request),
            (e: Error) => callback({ code: grpc.status.ABORTED, details: e.message }),
          );
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      nested.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    nestedAddress = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    nested?.forceShutdown();
    closeBranchChannels();
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.method}:${call.branchId}:${call.op}`);
  const twoBranches = (gid: string, options = {}) =>
    tcc(
      c.client,
      gid,
      async (t) => {
        await t.callBranch(payload("out"), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"));
        await t.callBranch(payload("in"), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"));
        return "done";
      },
      options,
    );

  it("tcc confirms every branch in reverse registration order after all tries succeed", async () => {
    expect(await twoBranches("tcc-ok")).toBe("done");
    expect(callsOf("tcc-ok")).toEqual(["Try:01:try", "Try:02:try", "Confirm:02:confirm", "Confirm:01:confirm"]);
    const tx = (await c.client.getTransaction({ gid: "tcc-ok" })).transaction!;
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(bank.calls("Confirm").find((x) => x.gid === "tcc-ok" && x.branchId === "01")!.payload.toString()).toBe("out");
  });

  it("tcc cancels every registered branch when a try fails, and rethrows", async () => {
    bank.failNext("Try", "ok");
    bank.failNext("Try", "failure");
    const err = await twoBranches("tcc-rollback").catch((e: unknown) => e);
    expect(ConnectError.from(err).code).toBe(Code.Aborted);
    const tx = (await c.client.getTransaction({ gid: "tcc-rollback" })).transaction!;
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.rollbackReason).toContain("branch 02 try");
    expect(callsOf("tcc-rollback")).toEqual(["Try:01:try", "Try:02:try", "Cancel:02:cancel", "Cancel:01:cancel"]);
  });

  it("a cancel that fails is retried until it succeeds", async () => {
    bank.failNext("Try", "failure");
    bank.failNext("Cancel", "unavailable", 2);
    const done = c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "tcc-cancel-retry", 15_000);
    await tcc(c.client, "tcc-cancel-retry", (t) => t.callBranch(payload("x"), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"))).catch(() => undefined);
    expect((await done).status).toBe("failed");
    expect(callsOf("tcc-cancel-retry")).toEqual(["Try:01:try", "Cancel:01:cancel", "Cancel:01:cancel", "Cancel:01:cancel"]);
  });

  it("a tcc still prepared after timeout_to_fail is aborted and its branches cancelled", async () => {
    await c.client.prepare({ gid: "tcc-timeout", mode: Mode.TCC, options: { timeoutToFail: { seconds: 0n, nanos: 300_000_000 } } });
    await c.client.registerBranch({ gid: "tcc-timeout", branchId: "01", branch: { case: "tcc", value: { confirm: bank.target("Confirm"), cancel: bank.target("Cancel") } } });
    const event = await c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "tcc-timeout", 15_000);
    expect(event.status).toBe("failed");
    expect(event.rollbackReason).toBe("Timeout after 0.3 seconds");
    expect(callsOf("tcc-timeout")).toEqual(["Cancel:01:cancel"]);
    const late = await c.client
      .registerBranch({ gid: "tcc-timeout", branchId: "02", branch: { case: "tcc", value: { confirm: bank.target("Confirm"), cancel: bank.target("Cancel") } } })
      .catch((e: unknown) => e);
    expect(ConnectError.from(late).code).toBe(Code.FailedPrecondition);
  });

  it("nested tcc: a try registers sub-branches under the gid it received, confirmed before their parent", async () => {
    await tcc(c.client, "tcc-nested", (t) => t.callBranch(payload("p"), `${nestedAddress}/shop.v1.ShopService/Try`, bank.target("Confirm"), bank.target("Cancel")));
    expect(callsOf("tcc-nested")).toEqual(["Try:0101:try", "Confirm:0101:confirm", "Confirm:01:confirm"]);
  });

  it("branch headers reach tries and confirms", async () => {
    await tcc(c.client, "tcc-headers", (t) => t.callBranch(payload("h"), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel")), {
      branchHeaders: { "x-trace": "t1" },
    });
    const calls = bank.calls().filter((x) => x.gid === "tcc-headers");
    expect(calls.map((x) => x.metadata["x-trace"])).toEqual(["t1", "t1"]);
    expect(calls.every((x) => x.transType === "tcc")).toBe(true);
  });

  it("RegisterBranch and Submit on an unknown gid are NOT_FOUND; a saga gid is not a tcc", async () => {
    const reg = await c.client
      .registerBranch({ gid: "tcc-nope", branchId: "01", branch: { case: "tcc", value: { confirm: "", cancel: "" } } })
      .catch((e: unknown) => e);
    expect(ConnectError.from(reg).code).toBe(Code.NotFound);
    const sub = await c.client.submit({ gid: "tcc-nope", mode: Mode.TCC }).catch((e: unknown) => e);
    expect(ConnectError.from(sub).code).toBe(Code.NotFound);
    const bad = await c.client.registerBranch({ gid: "tcc-nope", branchId: "01" }).catch((e: unknown) => e);
    expect(ConnectError.from(bad).code).toBe(Code.InvalidArgument);
  });

  it("registering a branch id again is idempotent with the same targets and ALREADY_EXISTS with others, storing nothing", async () => {
    await c.client.prepare({ gid: "tcc-rereg", mode: Mode.TCC });
    const reg = (confirm: string) =>
      c.client.registerBranch({ gid: "tcc-rereg", branchId: "01", branch: { case: "tcc", value: { confirm, cancel: bank.target("Cancel") } } });
    await reg(bank.target("Confirm"));
    await reg(bank.target("Confirm"));
    const err = await reg(bank.target("Try")).catch((e: unknown) => e);
    expect(ConnectError.from(err).code).toBe(Code.AlreadyExists);
    const tx = (await c.client.getTransaction({ gid: "tcc-rereg" })).transaction!;
    expect(tx.branches.map((b) => b.target)).toEqual([bank.target("Confirm"), bank.target("Cancel")]);
    await c.client.abort({ gid: "tcc-rereg", waitResult: true });
  });
});
