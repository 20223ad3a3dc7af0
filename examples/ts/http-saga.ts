/**
 * SAGA over HTTP branches: the saga example with every target an http:// URL of a plain node:http
 * service. Move 30 from alice to bob; then try to move more than alice has and watch Concord
 * compensate. Run against a coordinator: `make build && node dist/examples/ts/http-saga.js [url]`.
 */
import { pathToFileURL } from "node:url";
import { createConcordClient, saga, TransactionFailedError } from "concord/client";
import { encodeTransfer } from "./bank-service.js";
import { startHttpBank } from "./http-bank-service.js";

export async function main(coordinatorUrl = "http://localhost:36790"): Promise<Record<string, number>> {
  const client = createConcordClient({ baseUrl: coordinatorUrl });
  const bank = await startHttpBank({ alice: 100, bob: 0 });
  try {
    const transfer = async (amount: number) =>
      (await saga(client))
        .add(bank.target("TransOut"), bank.target("TransOutCompensate"), encodeTransfer({ account: "alice", amount }))
        .add(bank.target("TransIn"), bank.target("TransInCompensate"), encodeTransfer({ account: "bob", amount }))
        .submit({ waitResult: true });

    const ok = await transfer(30);
    console.log(`saga ${ok.gid} succeeded over HTTP: alice=${bank.balance("alice")} bob=${bank.balance("bob")}`);

    try {
      await transfer(500);
    } catch (e) {
      if (!(e instanceof TransactionFailedError)) throw e;
      console.log(`saga ${e.transaction.gid} rolled back (${e.transaction.rollbackReason}): alice=${bank.balance("alice")} bob=${bank.balance("bob")}`);
    }
    return { alice: bank.balance("alice"), bob: bank.balance("bob") };
  } finally {
    await bank.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]);
