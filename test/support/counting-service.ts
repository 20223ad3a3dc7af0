/**
 * A gRPC branch service for governance and reload tests: it answers OK after a delay and counts
 * the calls it is serving, so a test measures concurrency where it matters, at the service.
 */
import * as grpc from "@grpc/grpc-js";
import { rawBytesService } from "../../src/protocol/index.js";

/** A gRPC branch service answering OK after `delayMs`, counting its calls in flight as it serves them. */
export interface CountingService {
  readonly address: string;
  readonly target: string;
  /** Calls being served now, and the most ever served at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Calls received. */
  readonly calls: number;
  /** For each call, in arrival order: how much of its deadline was left when it arrived, in ms. */
  readonly deadlineLeftMs: readonly number[];
  /** For each call, in arrival order: the calls in flight at the service once it arrived, itself included. */
  readonly inFlightAtArrival: readonly number[];
  stop(): Promise<void>;
}

export async function startCountingService(delayMs: number): Promise<CountingService> {
  let inFlight = 0;
  let maxInFlight = 0;
  const deadlineLeftMs: number[] = [];
  const inFlightAtArrival: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = new grpc.Server();
  server.addService(rawBytesService("counting.v1.CountingService", ["Work"]), {
    Work(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      inFlightAtArrival.push(inFlight);
      deadlineLeftMs.push(Number(call.getDeadline()) - Date.now());
      const timer = setTimeout(() => {
        timers.delete(timer);
        inFlight--;
        callback(null, call.request);
      }, delayMs);
      timers.add(timer);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error === null ? resolve(p) : reject(error))),
  );
  const address = `127.0.0.1:${port}`;
  return {
    address,
    target: `${address}/counting.v1.CountingService/Work`,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get calls() {
      return deadlineLeftMs.length;
    },
    deadlineLeftMs,
    inFlightAtArrival,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      server.forceShutdown();
    },
  };
}
