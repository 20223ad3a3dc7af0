/**
 * Server CPU per unary gRPC call on the gRPC port: connect-node's path (`grpcUnaryFastPath:
 * false`) against the fast path (src/server/grpc-unary.ts). The server runs in a child process
 * with a stub CoordinatorService (NewGid answers a constant, Submit echoes its gid), so what is
 * measured is the transport, not the engine; its `process.cpuUsage()` is read before and after
 * N calls made over one HTTP/2 connection, one at a time and 32 at once. Indicative only: run it
 * on a quiet machine, and compare the two paths of one run.
 *
 *   node dist/bench/grpc-unary-cpu.js [calls per measurement, default 20000]
 */
import { fork } from "node:child_process";
import * as http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { CoordinatorService, SubmitRequestSchema } from "../gen/ts/concord/v1/coordinator_service_pb.js";
import { resolveConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import { createServer } from "../src/server/index.js";

type Path = "connect" | "fast";
type Method = "NewGid" | "Submit";

/** Child: serve, tell the parent the port, answer CPU readings until told to stop. */
async function serve(path: Path): Promise<void> {
  const config = { ...resolveConfig({ argv: [], env: {} }), host: "127.0.0.1", grpcPort: 0, httpPort: 0 };
  const server = createServer({
    config,
    logger: silentLogger,
    grpcUnaryFastPath: path === "fast",
    routes: (router) => {
      router.service(CoordinatorService, {
        newGid: () => ({ gid: "bench-gid" }),
        submit: (req) => ({ transaction: { gid: req.gid } }),
      });
    },
  });
  const { grpcPort } = await server.listen();
  process.send?.({ port: grpcPort });
  process.on("message", (message) => {
    if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
    if (message === "stop") void server.close().then(() => process.exit(0));
  });
}

function envelope(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.byteLength);
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, 5);
  return out;
}

const bodies: Record<Method, Buffer> = {
  NewGid: envelope(new Uint8Array()),
  Submit: envelope(toBinary(SubmitRequestSchema, create(SubmitRequestSchema, { gid: "bench-0000000001", mode: 1, customData: "x".repeat(200) }))),
};

/** Server CPU µs per call of `method`, `calls` calls, `concurrency` at once. */
async function measure(path: Path, method: Method, calls: number, concurrency: number): Promise<number> {
  const child = fork(process.argv[1]!, ["--serve", path]);
  const { port } = await new Promise<{ port: number }>((resolve) => child.once("message", (m) => resolve(m as { port: number })));
  const session = http2.connect(`http://127.0.0.1:${port}`);
  const headers = {
    ":method": "POST",
    ":path": `/concord.v1.CoordinatorService/${method}`,
    "content-type": "application/grpc",
    te: "trailers",
    "grpc-accept-encoding": "identity,deflate,gzip",
  };
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const stream = session.request(headers);
      let status: unknown;
      stream.on("trailers", (t) => (status = t["grpc-status"]));
      stream.on("data", () => {});
      stream.on("close", () => (status === "0" ? resolve() : reject(new Error(`grpc-status ${String(status)}`))));
      stream.end(bodies[method]);
    });
  const cpu = () =>
    new Promise<NodeJS.CpuUsage>((resolve) => {
      child.once("message", (m) => resolve((m as { cpu: NodeJS.CpuUsage }).cpu));
      child.send("cpu");
    });
  for (let i = 0; i < 2000; i++) await call(); // warm-up
  const before = await cpu();
  let left = calls;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await call();
    }),
  );
  const after = await cpu();
  session.close();
  child.send("stop");
  return (after.user - before.user + after.system - before.system) / calls;
}

async function main(): Promise<void> {
  const serveAt = process.argv.indexOf("--serve");
  if (serveAt >= 0) return serve(process.argv[serveAt + 1] as Path);
  const calls = Number(process.argv[2] ?? 20_000);
  for (const method of ["NewGid", "Submit"] as const) {
    for (const concurrency of [1, 32]) {
      const results: string[] = [];
      // Alternated, twice: a busy neighbour then weighs on both paths alike.
      for (const path of ["connect", "fast", "connect", "fast"] as const) results.push(`${path} ${(await measure(path, method, calls, concurrency)).toFixed(0)}`);
      console.log(`${method}, ${concurrency} at once: server CPU µs/call: ${results.join(", ")}`);
    }
  }
}

await main();
