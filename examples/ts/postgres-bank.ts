/**
 * The example bank on Postgres, for the modes whose branch side keeps a local transaction:
 * XA (each branch prepares its local transaction; Concord commits or rolls it back) and the
 * two-phase message (the local debit and the message commit together; Concord back-checks).
 * Needs `max_prepared_transactions > 0` on the server for XA.
 */
import * as grpc from "@grpc/grpc-js";
import pg from "pg";
import { branchInfoFromGrpc, createBarrier, ensureBarrierTable, grpcBranchFailure, queryPreparedGrpc, rawBytesService, xaHandle } from "concord/client";
import type { Transfer } from "./bank-service.js";

export interface PostgresBank {
  readonly pool: pg.Pool;
  target(method: string): string;
  balance(account: string): Promise<number>;
  close(): Promise<void>;
}

/** Debit (negative) or credit an account inside `client`'s transaction; refuses to overdraw. */
export async function move(client: pg.ClientBase, t: Transfer, sign: 1 | -1): Promise<void> {
  const { rowCount } = await client.query("update bank_accounts set balance = balance + $2 where name = $1 and balance + $2 >= 0", [
    t.account,
    sign * t.amount,
  ]);
  if (rowCount !== 1) throw new Error("insufficient funds");
}

export async function startPostgresBank(databaseUrl: string, opening: Record<string, number>): Promise<PostgresBank> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query("create table if not exists bank_accounts (name text primary key, balance bigint not null)");
  for (const [name, balance] of Object.entries(opening)) {
    await pool.query("insert into bank_accounts values ($1, $2) on conflict (name) do update set balance = excluded.balance", [name, balance]);
  }
  await ensureBarrierTable(pool);

  // One method per XA branch serves op action (prepare), commit and rollback alike.
  const xaMethod = (sign: 1 | -1) => (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
    const info = branchInfoFromGrpc(call.metadata);
    const transfer = JSON.parse(call.request.toString()) as Transfer;
    xaHandle(pool, info, (client) => move(client, transfer, sign), { barrier: true }).then(
      () => callback(null, Buffer.alloc(0)),
      // A failed action is the business saying no; a failed commit/rollback is retried by Concord.
      (e: Error) => callback(info.op === "action" ? grpcBranchFailure(e.message) : { code: grpc.status.UNAVAILABLE, details: e.message }),
    );
  };
  // The message's action: credit an account (idempotent through the barrier).
  const credit = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
    const transfer = JSON.parse(call.request.toString()) as Transfer;
    createBarrier(branchInfoFromGrpc(call.metadata))
      .callInTransaction(pool, (client) => move(client, transfer, 1))
      .then(
        () => callback(null, Buffer.alloc(0)),
        (e: Error) => callback({ code: grpc.status.UNAVAILABLE, details: e.message }),
      );
  };

  const methods: Record<string, grpc.handleUnaryCall<Buffer, Buffer>> = {
    TransOutXa: xaMethod(-1),
    TransInXa: xaMethod(1),
    TransIn: credit,
    QueryPrepared: (call, callback) => void queryPreparedGrpc(pool, call, callback, Buffer.alloc(0)),
  };
  const server = new grpc.Server();
  server.addService(rawBytesService("bank.v1.BankService", Object.keys(methods)), methods);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    pool,
    target: (method) => `127.0.0.1:${port}/bank.v1.BankService/${method}`,
    async balance(account) {
      const { rows } = await pool.query<{ balance: string }>("select balance from bank_accounts where name = $1", [account]);
      return Number(rows[0]?.balance ?? 0);
    },
    async close() {
      server.forceShutdown();
      await pool.end();
    },
  };
}
