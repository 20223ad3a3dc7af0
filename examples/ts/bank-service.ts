/**
 * The example bank: a gRPC branch service (grpc-js, no .proto needed on Concord's side) holding
 * balances in memory. Each method takes a JSON `{ "account": "...", "amount": 30 }` request as
 * its payload — any serialized message works: Concord passes the bytes through unread.
 *
 * It shows the branch-side rules: read the dtm-* metadata, answer ABORTED (grpcBranchFailure) for
 * a business "no", and make every call idempotent per (gid, branch, op) — branch calls are
 * at-least-once. (With Postgres, the barrier in concord/client does this for you.)
 */
import * as grpc from "@grpc/grpc-js";
import { branchInfoFromGrpc, grpcBranchFailure, rawBytesService } from "concord/client";

export interface Transfer {
  readonly account: string;
  readonly amount: number;
}

export interface Bank {
  /** `host:port/bank.v1.BankService/<method>`, a Concord branch target. */
  target(method: string): string;
  balance(account: string): number;
  close(): void;
}

export function encodeTransfer(t: Transfer): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(t));
}

/**
 * Start the bank on a free loopback port with the given opening balances; an account not in
 * `opening` opens with `newAccountBalance` (default 0) the first time it is named.
 */
export async function startBank(opening: Record<string, number>, newAccountBalance = 0): Promise<Bank> {
  const balances = new Map(Object.entries(opening));
  const frozen = new Map<string, number>(); // TCC: reserved by Try, applied by Confirm, released by Cancel
  const done = new Set<string>(); // (gid, branch, op) seen: makes calls idempotent

  const methods: Record<string, (t: Transfer) => void> = {
    TransOut: (t) => move(t.account, -t.amount),
    TransOutCompensate: (t) => move(t.account, t.amount),
    TransIn: (t) => move(t.account, t.amount),
    TransInCompensate: (t) => move(t.account, -t.amount),
    TryTransOut: (t) => {
      if (available(t.account) < t.amount) throw new Error("insufficient funds");
      frozen.set(t.account, (frozen.get(t.account) ?? 0) + t.amount);
    },
    ConfirmTransOut: (t) => {
      frozen.set(t.account, (frozen.get(t.account) ?? 0) - t.amount);
      move(t.account, -t.amount);
    },
    CancelTransOut: (t) => frozen.set(t.account, (frozen.get(t.account) ?? 0) - t.amount),
    TryTransIn: () => undefined,
    ConfirmTransIn: (t) => move(t.account, t.amount),
    CancelTransIn: () => undefined,
  };
  /** The op each undo op reverses (a workflow's compensation comes with op rollback). */
  const undoes: Record<string, string> = { compensate: "action", cancel: "try", rollback: "action" };

  function balanceOf(account: string): number {
    return balances.get(account) ?? newAccountBalance;
  }

  function available(account: string): number {
    return balanceOf(account) - (frozen.get(account) ?? 0);
  }

  function move(account: string, delta: number): void {
    const next = balanceOf(account) + delta;
    if (next < 0) throw new Error("insufficient funds");
    balances.set(account, next);
  }

  const server = new grpc.Server();
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const [name, apply] of Object.entries(methods)) {
    handlers[name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const info = branchInfoFromGrpc(call.metadata);
      const branch = `${info.gid}:${info.branchId}`;
      try {
        // The three cases the Postgres barrier handles, done in memory:
        const repeated = done.has(`${branch}:${info.op}`);
        const origin = undoes[info.op];
        const nullCompensation = origin !== undefined && !done.has(`${branch}:${origin}`);
        const hanging = origin === undefined && (done.has(`${branch}:compensate`) || done.has(`${branch}:cancel`) || done.has(`${branch}:rollback`));
        if (!repeated && !nullCompensation && !hanging) apply(JSON.parse(call.request.toString()) as Transfer);
        done.add(`${branch}:${info.op}`);
        callback(null, Buffer.alloc(0));
      } catch (e) {
        callback(grpcBranchFailure((e as Error).message)); // ABORTED: the business said no
      }
    };
  }
  server.addService(rawBytesService("bank.v1.BankService", Object.keys(methods)), handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    target: (method) => `127.0.0.1:${port}/bank.v1.BankService/${method}`,
    balance: balanceOf,
    close: () => server.forceShutdown(),
  };
}
