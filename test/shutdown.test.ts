/**
 * SIGTERM while clients wait on `Submit{wait_result}`: every waiting client gets its answer
 * (or UNAVAILABLE when the grace runs out), over gRPC and over Connect JSON, and never a reset
 * connection or INTERNAL. Real `concord serve` processes, real Postgres, a real grpc-js bank.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createConcordClient, Mode, TransactionStatus } from "../src/client/index.js";
import type { CoordinatorClient } from "../src/client/index.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startConcordProcess } from "./support/process.js";
import type { ConcordProcess } from "./support/process.js";

/** How long the bank's slow answer takes: longer than the old fixed 5 s close timeout. */
const slowMs = 6000;

describe("concord serve shutdown with waiting clients", () => {
  let bank: FakeBank;
  let db: TestDatabase;
  const procs: ConcordProcess[] = [];

  beforeAll(async () => {
    bank = await startFakeBank({ slowMs });
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
    await db?.drop();
    bank.reset();
  });
  afterAll(async () => {
    await bank?.stop();
  });

  const start = async (flags: string[]) => {
    db = await createTestDatabase();
    const p = await startConcordProcess(["--database-url", db.url, "--request-timeout-ms", String(slowMs + 4000), ...flags]);
    procs.push(p);
    return { p, grpc: p.client, json: createConcordClient({ baseUrl: `http://127.0.0.1:${p.httpPort}`, protocol: "connect" }) };
  };

  /** Submit a one-step saga whose action is the bank's slow TransIn, waiting for its result. */
  const submitWaiting = (client: CoordinatorClient, gid: string) =>
    client
      .submit({
        gid,
        mode: Mode.SAGA,
        options: { waitResult: true },
        spec: { case: "saga", value: { steps: [{ action: bank.target("TransIn"), compensate: bank.target("TransInCompensate"), payload: new Uint8Array([1]) }] } },
      })
      .then((res) => ({ status: res.transaction?.status }))
      .catch((e: unknown) => ({ error: ConnectError.from(e) }));

  it("a client waiting over gRPC and one over Connect JSON both get SUCCEEDED when the branch answers within the grace", async () => {
    const { p, grpc, json } = await start(["--shutdown-grace-ms", String(slowMs + 4000)]);
    bank.failNext("TransIn", "slow", 2);
    const viaGrpc = submitWaiting(grpc, "grace-grpc");
    const viaJson = submitWaiting(json, "grace-json");
    await bank.waitForCalls("TransIn", 2, 10_000);

    const exited = p.stop("SIGTERM");
    expect(await viaGrpc).toEqual({ status: TransactionStatus.SUCCEEDED });
    expect(await viaJson).toEqual({ status: TransactionStatus.SUCCEEDED });
    expect(await exited).toBe(0);
  });

  // Needs the coordinator to answer waiting wait_result calls with UNAVAILABLE once its grace is
  // over (coordinator.stop(), helper D); until then the connection is destroyed under the client.
  it("a client waiting over gRPC and one over Connect JSON both get UNAVAILABLE when the grace runs out first", async () => {
    const { p, grpc, json } = await start(["--shutdown-grace-ms", "300"]);
    bank.failNext("TransIn", "slow", 2);
    const viaGrpc = submitWaiting(grpc, "short-grpc");
    const viaJson = submitWaiting(json, "short-json");
    await bank.waitForCalls("TransIn", 2, 10_000);

    const exited = p.stop("SIGTERM");
    for (const answer of [await viaGrpc, await viaJson]) {
      expect(answer).toHaveProperty("error");
      const { error } = answer as { error: ConnectError };
      expect(Code[error.code], error.message).toBe("Unavailable");
    }
    expect(await exited).toBe(0);
    expect(p.stderr()).not.toMatch(/destroyed/);
  });
});
