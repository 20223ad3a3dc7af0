/**
 * XA: move 30 from alice to bob, each side a Postgres transaction prepared by its branch and
 * committed by Concord; a transfer alice cannot afford fails in its action, and Concord rolls
 * back every registered branch.
 * `make build && node dist/examples/ts/xa.js <coordinator-url> <postgres-url>`.
 */
import { pathToFileURL } from "node:url";
import { createConcordClient, xa, closeBranchChannels } from "concord/client";
import { encodeTransfer } from "./bank-service.js";
import { startPostgresBank } from "./postgres-bank.js";

export async function main(coordinatorUrl: string, databaseUrl: string): Promise<Record<string, number>> {
  const client = createConcordClient({ baseUrl: coordinatorUrl });
  const bank = await startPostgresBank(databaseUrl, { alice: 100, bob: 0 });
  try {
    const transfer = async (amount: number) => {
      const { gid } = await client.newGid({});
      await xa(client, gid, async (x) => {
        await x.callBranch(encodeTransfer({ account: "alice", amount }), bank.target("TransOutXa"));
        await x.callBranch(encodeTransfer({ account: "bob", amount }), bank.target("TransInXa"));
      });
      return gid;
    };
    const gid = await transfer(30);
    console.log(`xa ${gid} committed: alice=${await bank.balance("alice")} bob=${await bank.balance("bob")}`);
    await transfer(500).catch((e: Error) => console.log(`xa rolled back (${e.message})`));
    return { alice: await bank.balance("alice"), bob: await bank.balance("bob") };
  } finally {
    await bank.close();
    closeBranchChannels();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2] ?? "http://localhost:36790", process.argv[3] ?? process.env.DATABASE_URL ?? "");
}
