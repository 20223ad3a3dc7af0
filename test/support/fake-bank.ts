/**
 * A fake bank branch service for tests: a real grpc-js server on loopback, no .proto.
 *
 * Every method takes and returns raw bytes (identity serializers), answers OK with the request
 * payload echoed, and records the call. Scenarios steer it per method with one-shot switches
 * (`failNext`) or a persistent mode (`setDefault`), then assert the exact sequence of calls.
 */
import * as grpc from "@grpc/grpc-js";
import { rawBytesService } from "../../src/client/index.js";

/** What a method does with a call. */
export type BankBehaviour =
  /** OK, payload echoed. */
  | "ok"
  /** ABORTED: the business said no (FAILURE). */
  | "failure"
  /** FAILED_PRECONDITION: not decided yet (ONGOING). */
  | "ongoing"
  /** UNAVAILABLE. */
  | "unavailable"
  /** OK after `slowMs`, longer than a test's deadline. */
  | "slow"
  /** INTERNAL. */
  | "internal";

/** One call the bank received. */
export interface BankCall {
  readonly method: string;
  /** `dtm-gid` metadata ("" when absent), likewise the next three. */
  readonly gid: string;
  readonly branchId: string;
  readonly op: string;
  readonly transType: string;
  /** Every metadata key (first value; binary values base64). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly payload: Buffer;
  /** Arrival time, `Date.now()`. */
  readonly at: number;
  /** The caller's address and port (`ipv4:127.0.0.1:PORT`): one per client connection. */
  readonly peer: string;
}

export interface FakeBankOptions {
  /** Method names served besides the defaults (`TransOut`, …, `Try`, `Confirm`, `Cancel`, …). */
  readonly methods?: readonly string[];
  /** How long a "slow" answer takes, in milliseconds. Default: 1500. */
  readonly slowMs?: number;
}

export interface FakeBank {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** `127.0.0.1:PORT/bank.v1.BankService/<method>`. */
  target(method: string): string;
  /** Calls received, in arrival order; only `method`'s when given. */
  calls(method?: string): readonly BankCall[];
  /** How many calls `method` received. */
  count(method: string): number;
  /** Resolve with `method`'s calls once it has received `n`; reject after `timeoutMs` (default 5000). */
  waitForCalls(method: string, n: number, timeoutMs?: number): Promise<readonly BankCall[]>;
  /** Answer the next `times` calls of `method` with `kind`, then go back to its default. */
  failNext(method: string, kind: BankBehaviour, times?: number): void;
  /** Answer every call of `method` with `kind` (after any queued one-shot switches). */
  setDefault(method: string, kind: BankBehaviour): void;
  /** Forget calls, counters, switches and defaults. */
  reset(): void;
  /** Stop serving (force shutdown); pending waiters are rejected. Idempotent. */
  stop(): Promise<void>;
  /** Stop, then serve again on the same port (keeps calls, switches and waiters). */
  restart(): Promise<void>;
}

export const bankService = "bank.v1.BankService";
const defaultMethods = [
  "TransOut",
  "TransOutCompensate",
  "TransIn",
  "TransInCompensate",
  "QueryPrepared",
  "Try",
  "Confirm",
  "Cancel",
  "Commit",
  "Rollback",
];

const errorCodes: Record<Exclude<BankBehaviour, "ok" | "slow">, grpc.status> = {
  failure: grpc.status.ABORTED,
  ongoing: grpc.status.FAILED_PRECONDITION,
  unavailable: grpc.status.UNAVAILABLE,
  internal: grpc.status.INTERNAL,
};

interface Waiter {
  readonly method: string;
  readonly n: number;
  readonly resolve: (calls: readonly BankCall[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Start a fake bank on 127.0.0.1 with a free port. Stop it when done. */
export async function startFakeBank(options: FakeBankOptions = {}): Promise<FakeBank> {
  const methods = [...new Set([...defaultMethods, ...(options.methods ?? [])])];
  const slowMs = options.slowMs ?? 1500;
  const log: BankCall[] = [];
  const queued = new Map<string, BankBehaviour[]>();
  const defaults = new Map<string, BankBehaviour>();
  const waiters = new Set<Waiter>();
  const slowTimers = new Set<NodeJS.Timeout>();

  const callsOf = (method?: string) => (method === undefined ? [...log] : log.filter((c) => c.method === method));

  function nextBehaviour(method: string): BankBehaviour {
    return queued.get(method)?.shift() ?? defaults.get(method) ?? "ok";
  }

  function record(method: string, call: grpc.ServerUnaryCall<Buffer, Buffer>): void {
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(call.metadata.getMap())) {
      metadata[key] = typeof value === "string" ? value : value.toString("base64");
    }
    log.push({
      method,
      gid: metadata["dtm-gid"] ?? "",
      branchId: metadata["dtm-branch_id"] ?? "",
      op: metadata["dtm-op"] ?? "",
      transType: metadata["dtm-trans_type"] ?? "",
      metadata,
      payload: call.request,
      at: Date.now(),
      peer: call.getPeer(),
    });
    for (const waiter of waiters) {
      const calls = callsOf(waiter.method);
      if (calls.length < waiter.n) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(calls);
    }
  }

  function handler(method: string): grpc.handleUnaryCall<Buffer, Buffer> {
    return (call, callback) => {
      record(method, call);
      const behaviour = nextBehaviour(method);
      if (behaviour === "ok") return callback(null, call.request);
      if (behaviour === "slow") {
        const timer = setTimeout(() => {
          slowTimers.delete(timer);
          callback(null, call.request);
        }, slowMs);
        slowTimers.add(timer);
        return;
      }
      callback({ code: errorCodes[behaviour], details: `fake bank: ${method} ${behaviour}` });
    };
  }

  const definition = rawBytesService(bankService, methods);
  const implementation: grpc.UntypedServiceImplementation = Object.fromEntries(methods.map((m) => [m, handler(m)]));

  async function listen(port: number): Promise<{ server: grpc.Server; port: number }> {
    const server = new grpc.Server();
    server.addService(definition, implementation);
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, p) =>
        error === null ? resolve(p) : reject(error),
      ),
    );
    return { server, port: bound };
  }

  /**
   * Listen again on `port`. The old server's socket closes asynchronously after forceShutdown,
   * so a bind may briefly meet EADDRINUSE: retry for at most one second.
   */
  async function relisten(port: number): Promise<grpc.Server> {
    const deadline = Date.now() + 1000;
    for (;;) {
      try {
        return (await listen(port)).server;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  let current: grpc.Server | undefined;
  function shutdown(): void {
    current?.forceShutdown();
    current = undefined;
    // A slow answer's call is already cancelled by the shutdown; its timer must not outlive it.
    for (const timer of slowTimers) clearTimeout(timer);
    slowTimers.clear();
  }

  const first = await listen(0);
  current = first.server;
  const port = first.port;
  const address = `127.0.0.1:${port}`;

  return {
    address,
    target: (method) => `${address}/${bankService}/${method}`,
    calls: callsOf,
    count: (method) => callsOf(method).length,
    waitForCalls(method, n, timeoutMs = 5000) {
      const calls = callsOf(method);
      if (calls.length >= n) return Promise.resolve(calls);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          method,
          n,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`fake bank: ${method} got ${callsOf(method).length} of ${n} calls in ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext(method, kind, times = 1) {
      const queue = queued.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(kind);
      queued.set(method, queue);
    },
    setDefault(method, kind) {
      defaults.set(method, kind);
    },
    reset() {
      log.length = 0;
      queued.clear();
      defaults.clear();
    },
    async stop() {
      shutdown();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`fake bank stopped while waiting for ${waiter.n} ${waiter.method} calls`));
      }
      waiters.clear();
    },
    async restart() {
      shutdown();
      current = await relisten(port);
    },
  };
}
