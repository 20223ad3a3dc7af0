/**
 * A workflow: the transfer as an ordinary async function whose steps Concord records. Move 30
 * from alice to bob with two TCC branches (confirmed when the function returns), then try to move
 * more than alice has: her try says no, and the workflow rolls back (cancels) what it did.
 * If this process died midway, Concord would call the resume target below and the function would
 * run again, replaying what was recorded. `make build && node dist/examples/ts/workflow.js [url]`.
 */
import { pathToFileURL } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { createConcordClient, createWorkflowClient, createWorkflows, rawBytesService, WorkflowFailedError } from "concord/client";
import { encodeTransfer, startBank } from "./bank-service.js";

interface TransferInput {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

export async function main(coordinatorUrl = "http://localhost:36790"): Promise<Record<string, number>> {
  const bank = await startBank({ alice: 100, bob: 0 });
  // Concord resumes an unfinished workflow by calling this gRPC method (or an HTTP URL).
  const resumeServer = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) =>
    resumeServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  const workflows = createWorkflows({
    client: createWorkflowClient({ baseUrl: coordinatorUrl }),
    resumeTarget: `127.0.0.1:${port}/example.v1.Workflows/Resume`,
  });
  resumeServer.addService(rawBytesService("example.v1.Workflows", ["Resume"]), { Resume: workflows.grpcResumeHandler() });

  const transfer = workflows.register("transfer", async (ctx, t: TransferInput) => {
    const startedAt = await ctx.now(); // recorded: a resumed run sees the same time
    await ctx.tcc(encodeTransfer({ account: t.from, amount: t.amount }), bank.target("TryTransOut"), bank.target("ConfirmTransOut"), bank.target("CancelTransOut"));
    await ctx.tcc(encodeTransfer({ account: t.to, amount: t.amount }), bank.target("TryTransIn"), bank.target("ConfirmTransIn"), bank.target("CancelTransIn"));
    return { moved: t.amount, startedAt: startedAt.toISOString() };
  });

  const coordinator = createConcordClient({ baseUrl: coordinatorUrl });
  try {
    const { gid } = await coordinator.newGid({});
    const result = await transfer.run(gid, { from: "alice", to: "bob", amount: 30 }); // typed: { moved, startedAt }
    console.log(`workflow ${gid} moved ${result.moved}: alice=${bank.balance("alice")} bob=${bank.balance("bob")}`);

    try {
      await transfer.run((await coordinator.newGid({})).gid, { from: "alice", to: "bob", amount: 500 });
    } catch (e) {
      if (!(e instanceof WorkflowFailedError)) throw e;
      console.log(`workflow ${e.gid} rolled back (${e.reason}): alice=${bank.balance("alice")} bob=${bank.balance("bob")}`);
    }
    return { alice: bank.balance("alice"), bob: bank.balance("bob") };
  } finally {
    workflows.close();
    resumeServer.forceShutdown();
    bank.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]);
