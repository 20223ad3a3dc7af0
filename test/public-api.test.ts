/**
 * The package entry (`concord`) is enough to run a coordinator inside another process, and the
 * SDK entry (`concord/client`) keeps every name it exports.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, expectTypeOf, it } from "vitest";
import { createCoordinator, createServer, resolveConfig, silentLogger } from "../src/index.js";
import { createConcordClient } from "../src/client/index.js";
import * as client from "../src/client/index.js";

it("the package entry starts an embedded coordinator that answers over gRPC", async () => {
  const dir = await mkdtemp(join(tmpdir(), "concord-embed-"));
  const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0", "--data-dir", join(dir, "data")], env: {} });
  const coordinator = await createCoordinator(config, silentLogger);
  const server = createServer({ config, logger: silentLogger, routes: (r) => coordinator.routes(r), httpRoutes: coordinator.httpRoutes });
  try {
    const { grpcPort } = await server.listen();
    await coordinator.start();
    const client = createConcordClient({ baseUrl: `http://127.0.0.1:${grpcPort}` });
    expect((await client.newGid({})).gid).toMatch(/^[\w-]{22}$/);
    expect(coordinator.describeStore()).toBe(`embedded:${join(dir, "data")}`);
  } finally {
    await server.close();
    await coordinator.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

it("the client entry still exports every value it exported before it became an export list", () => {
  const values = [
    "BranchOp", "BranchOpSchema", "BranchSchema", "BranchStatus", "BranchStatusSchema", "CoordinatorService", "Mode", "ModeSchema",
    "MsgBuilder", "MsgSpecSchema", "MsgStepSchema", "RetryPolicySchema", "SagaBuilder", "SagaSpecSchema", "SagaStepSchema",
    "TccBranchSchema", "TccTransaction", "TransOptionsSchema", "TransactionFailedError", "TransactionSchema", "TransactionStatus",
    "TransactionStatusSchema", "XaBranchSchema", "XaTransaction", "barrierSchemaSql", "branchFailure", "branchInfoFromGrpc",
    "branchInfoFromHeaders", "branchOngoing", "closeBranchChannels", "coordinatorAddress", "createBarrier", "createConcordClient",
    "defaultBarrierTable", "doAndSubmit", "ensureBarrierTable", "file_concord_v1_transaction", "grpcBranchFailure", "grpcBranchOngoing",
    "msg", "queryPrepared", "queryPreparedConnect", "queryPreparedGrpc", "rawBytesService", "saga", "tcc", "tccFromBranch",
    "toOptions", "xa", "xaFinish", "xaHandle", "xaLocal", "xaTransactionId",
  ];
  expect(Object.keys(client)).toEqual(expect.arrayContaining(values));
});

it("the client entry still exports every type it exported before it became an export list", () => {
  // Checked by the type checker: a type the entry lost fails to compile.
  expectTypeOf<client.BranchInfo>().toHaveProperty("gid");
  expectTypeOf<client.ConcordClientOptions>().toHaveProperty("baseUrl");
  expectTypeOf<client.CoordinatorClient>().toHaveProperty("submit");
  expectTypeOf<client.TransactionOptionsInit>().toHaveProperty("branchHeaders");
  expectTypeOf<client.SubmitOptions>().toHaveProperty("waitResult");
  expectTypeOf<client.StepOptions>().toHaveProperty("after");
  expectTypeOf<client.TwoPhaseOptions>().toHaveProperty("branchTimeoutMs");
  expectTypeOf<client.Barrier>().toHaveProperty("call");
  expectTypeOf<client.BarrierOptions>().not.toBeNever();
  expectTypeOf<client.BarrierResult<number>>().not.toBeNever();
  expectTypeOf<client.BarrierSkip>().not.toBeNever();
  expectTypeOf<client.BarrierTx>().not.toBeNever();
  expectTypeOf<client.XaOptions>().toHaveProperty("barrier");
  expectTypeOf<client.DoAndSubmitOptions>().toHaveProperty("submit");
  expectTypeOf<client.MsgLocalOptions>().toHaveProperty("table");
  expectTypeOf<client.QueryPreparedResult>().toEqualTypeOf<"success" | "failure">();
  expectTypeOf<client.SubmitRequest>().toHaveProperty("gid");
  expectTypeOf<client.Transaction>().toHaveProperty("gid");
});
