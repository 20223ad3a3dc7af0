/**
 * A workflow service for the other languages: `bank.v1.TransferWorkflowService/Start`
 * (examples/proto/bank/v1/transfer_workflow.proto) runs a TypeScript workflow registered with
 * createWorkflows — credit `to_account`, then debit `from_account`, each a call to the example bank
 * with its compensation — and answers with how it ended. The Java and Python examples
 * (examples/java …/WorkflowMain.java, examples/python/workflow.py) reach Concord's workflow mode
 * through it, without a workflow SDK of their own. The same gRPC server is the workflow's resume
 * target (`example.v1.Workflows/Resume`), which Concord calls for a workflow left unfinished.
 *
 * Every account of its bank opens with 100 the first time it is named, so each client run can use
 * accounts of its own. `make build && node dist/examples/ts/workflow-service.js [coordinator-url] [port]`
 * prints `transfer workflow service listening on 127.0.0.1:<port>` once it serves; SIGINT or
 * SIGTERM stops it.
 */
import { pathToFileURL } from "node:url";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { createWorkflowClient, createWorkflows, rawBytesService, WorkflowFailedError } from "concord/client";
import { encodeTransfer, startBank } from "./bank-service.js";
import { Outcome, StartRequestSchema, StartResponseSchema } from "./gen/bank/v1/transfer_workflow_pb.js";

/** What a new account of the service's bank holds. */
export const openingBalance = 100;

export interface TransferWorkflowService {
  /** `127.0.0.1:<port>`, where TransferWorkflowService and the resume target are served. */
  readonly address: string;
  close(): void;
}

interface TransferInput {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

export async function startTransferWorkflowService(coordinatorUrl = "http://localhost:36790", port = 0): Promise<TransferWorkflowService> {
  const bank = await startBank({}, openingBalance);
  const server = new grpc.Server();
  let bound: number;
  try {
    bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
  } catch (e) {
    bank.close();
    throw e;
  }
  const address = `127.0.0.1:${bound}`;
  const workflows = createWorkflows({
    client: createWorkflowClient({ baseUrl: coordinatorUrl }),
    resumeTarget: `${address}/example.v1.Workflows/Resume`,
  });
  const transfer = workflows.register("bank-transfer", async (ctx, t: TransferInput) => {
    // Step 01: credit `to`. Step 02: debit `from`, which says no (ABORTED) when `from` has too
    // little: the workflow then rolls back, calling step 01's compensation (op rollback).
    await ctx.callBranch(bank.target("TransIn"), encodeTransfer({ account: t.to, amount: t.amount }), { compensate: bank.target("TransInCompensate") });
    await ctx.callBranch(bank.target("TransOut"), encodeTransfer({ account: t.from, amount: t.amount }), { compensate: bank.target("TransOutCompensate") });
    return { moved: t.amount };
  });

  server.addService(rawBytesService("example.v1.Workflows", ["Resume"]), { Resume: workflows.grpcResumeHandler() });
  server.addService(rawBytesService("bank.v1.TransferWorkflowService", ["Start"]), {
    Start: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      let input: TransferInput & { gid: string };
      try {
        const req = fromBinary(StartRequestSchema, call.request);
        input = { gid: req.gid, from: req.fromAccount, to: req.toAccount, amount: Number(req.amount) };
      } catch (e) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: `not a bank.v1.StartRequest: ${(e as Error).message}` });
        return;
      }
      if (!input.gid || !input.from || !input.to || input.from === input.to || !(input.amount > 0)) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: "want a gid, two different accounts and an amount > 0" });
        return;
      }
      const answer = (outcome: Outcome, reason = "") =>
        callback(
          null,
          Buffer.from(
            toBinary(
              StartResponseSchema,
              create(StartResponseSchema, {
                outcome,
                reason,
                fromBalance: BigInt(bank.balance(input.from)),
                toBalance: BigInt(bank.balance(input.to)),
              }),
            ),
          ),
        );
      transfer.run(input.gid, { from: input.from, to: input.to, amount: input.amount }).then(
        () => answer(Outcome.SUCCEEDED),
        (e: unknown) => {
          if (e instanceof WorkflowFailedError) answer(Outcome.FAILED, e.reason);
          // WorkflowUnfinishedError (Concord resumes it later) or Concord unreachable.
          else callback({ code: grpc.status.UNAVAILABLE, details: e instanceof Error ? e.message : String(e) });
        },
      );
    },
  });

  return {
    address,
    close: () => {
      server.forceShutdown();
      workflows.close();
      bank.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const service = await startTransferWorkflowService(process.argv[2], Number(process.argv[3] ?? 0));
  console.log(`transfer workflow service listening on ${service.address}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      service.close();
      process.exit(0);
    });
  }
}
