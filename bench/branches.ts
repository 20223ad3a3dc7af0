/**
 * Branch services for the benchmark: a grpc-js server with raw-bytes methods of
 * `bank.v1.BankService` (no .proto) answering OK at once, the same bank over HTTP (dtm's
 * protocol: 200 at once), and a raw-bytes caller for the baseline that calls them directly.
 * Internal module of `saga-bench.ts`.
 */
import * as grpc from "@grpc/grpc-js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { rawBytesService } from "../src/client/index.js";

export const bankService = "bank.v1.BankService";
const methods = ["TransOut", "TransOutCompensate", "TransIn", "TransInCompensate"] as const;
export type BankMethod = (typeof methods)[number];

const identity = (b: Buffer) => b;

export interface BranchServer {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** `127.0.0.1:PORT/bank.v1.BankService/<method>`, the form a saga step names. */
  target(method: BankMethod): string;
  /** Calls answered per method. */
  counts(): Readonly<Record<BankMethod, number>>;
  stop(): Promise<void>;
}

/** Serve the bank methods on 127.0.0.1 with a free port; every call is answered OK, payload echoed. */
export async function startBranchServer(): Promise<BranchServer> {
  const counts = Object.fromEntries(methods.map((m) => [m, 0])) as Record<BankMethod, number>;
  const server = new grpc.Server();
  const definition = rawBytesService(bankService, methods);
  const implementation: grpc.UntypedServiceImplementation = Object.fromEntries(
    methods.map((m) => [
      m,
      ((call, callback) => {
        counts[m]++;
        callback(null, call.request);
      }) satisfies grpc.handleUnaryCall<Buffer, Buffer>,
    ]),
  );
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error === null ? resolve(p) : reject(error))),
  );
  const address = `127.0.0.1:${port}`;
  return {
    address,
    target: (method) => `${address}/${bankService}/${method}`,
    counts: () => ({ ...counts }),
    async stop() {
      await new Promise<void>((resolve) => {
        // Graceful first; anything still open after a second is cut.
        const timer = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

export interface BranchCaller {
  /** Call `method` with `payload`; rejects with the grpc-js error on a non-OK status. */
  call(method: BankMethod, payload: Buffer, deadlineMs: number): Promise<Buffer>;
  close(): void;
}

/** A grpc-js client (one HTTP/2 channel) calling the bank methods with raw bytes. */
export function createBranchCaller(address: string): BranchCaller {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return {
    call(method, payload, deadlineMs) {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          `/${bankService}/${method}`,
          identity,
          identity,
          payload,
          new grpc.Metadata(),
          { deadline: Date.now() + deadlineMs },
          (error, response) => (error ? reject(error) : resolve(response ?? Buffer.alloc(0))),
        );
      });
    },
    close: () => client.close(),
  };
}

export interface HttpBranchServer {
  /** `http://127.0.0.1:PORT/api/<method>`, the form a saga step names. */
  target(method: BankMethod): string;
  stop(): Promise<void>;
}

/** Serve the bank methods over HTTP on 127.0.0.1 with a free port: every call is answered 200 at once. */
export async function startHttpBranchServer(): Promise<HttpBranchServer> {
  const answer = '{"dtm_result":"SUCCESS"}';
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": String(answer.length) }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    target: (method) => `${origin}/api/${method}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
