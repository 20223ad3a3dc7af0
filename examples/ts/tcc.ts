/**
 * TCC: reserve 30 at alice (Try), then Concord confirms both branches; a try that fails makes
 * Concord cancel every registered branch. `make build && node dist/examples/ts/tcc.js [url]`.
 */
import { pathToFileURL } from "node:url";
import { createConcordClient, tcc, closeBranchChannels } from "concord/client";
import { encodeTransfer, startBank } from "./bank-service.js";

export async function main(coordinatorUrl = "http://localhost:36790"): Promise<Record<string, number>> {
  const client = createConcordClient({ baseUrl: coordinatorUrl });
  const bank = await startBank({ alice: 100, bob: 0 });
  try {
    const transfer = async (amount: number) => {
      const { gid } = await client.newGid({});
      await tcc(client, gid, async (t) => {
        const out = encodeTransfer({ account: "alice", amount });
        await t.callBranch(out, bank.target("TryTransOut"), bank.target("ConfirmTransOut"), bank.target("CancelTransOut"));
        const into = encodeTransfer({ account: "bob", amount });
        await t.callBranch(into, bank.target("TryTransIn"), bank.target("ConfirmTransIn"), bank.target("CancelTransIn"));
      });
      return gid;
    };

    const gid = await transfer(30);
    console.log(`tcc ${gid} confirmed: alice=${bank.balance("alice")} bob=${bank.balance("bob")}`);
    await transfer(500).catch((e: Error) => console.log(`tcc cancelled (${e.message}): alice=${bank.balance("alice")} bob=${bank.balance("bob")}`));
    return { alice: bank.balance("alice"), bob: bank.balance("bob") };
  } finally {
    bank.close();
    closeBranchChannels();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]);
