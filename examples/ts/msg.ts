/**
 * Two-phase message: debit alice in a local Postgres transaction and, atomically with it, commit
 * to crediting bob through Concord. If this process died between its commit and the submit,
 * Concord would ask QueryPrepared and deliver the message anyway; a business error sends nothing.
 * `make build && node dist/examples/ts/msg.js <coordinator-url> <postgres-url>`.
 */
import { pathToFileURL } from "node:url";
import { createConcordClient, msg, doAndSubmit } from "concord/client";
import { encodeTransfer } from "./bank-service.js";
import { move, startPostgresBank } from "./postgres-bank.js";

export async function main(coordinatorUrl: string, databaseUrl: string): Promise<Record<string, number>> {
  const client = createConcordClient({ baseUrl: coordinatorUrl });
  const bank = await startPostgresBank(databaseUrl, { alice: 100, bob: 0 });
  try {
    const transfer = async (amount: number) => {
      const m = (await msg(client)).add(bank.target("TransIn"), encodeTransfer({ account: "bob", amount }));
      // The local debit and the barrier row commit together; then the message is submitted.
      // waitResult only so the example can print the outcome; callers usually fire and forget.
      await doAndSubmit(m, bank.target("QueryPrepared"), bank.pool, (tx) => move(tx, { account: "alice", amount }, -1), {
        submit: { waitResult: true },
      });
      return m.gid;
    };
    const gid = await transfer(30);
    console.log(`msg ${gid} delivered: alice=${await bank.balance("alice")} bob=${await bank.balance("bob")}`);
    await transfer(500).catch((e: Error) => console.log(`msg not sent (${e.message})`));
    return { alice: await bank.balance("alice"), bob: await bank.balance("bob") };
  } finally {
    await bank.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2] ?? "http://localhost:36790", process.argv[3] ?? process.env.DATABASE_URL ?? "");
}
