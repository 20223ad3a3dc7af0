import { create, createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type ConnectRouter } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoordinatorService } from "../gen/ts/concord/v1/coordinator_service_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../gen/ts/grpc/health/v1/health_pb.js";
import * as v1 from "../gen/ts/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";
import { resolveConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import { createServer, type Server } from "../src/server/index.js";

/** A tiny stand-in for the coordinator: NewGid answers a fixed gid, GetTransaction has a bug. */
function routes(router: ConnectRouter): void {
  router.service(CoordinatorService, {
    newGid: () => ({ gid: "gid-from-test" }),
    getTransaction: () => {
      throw new Error("secret database detail");
    },
  });
}

async function startServer(): Promise<{ server: Server; grpcUrl: string; httpUrl: string }> {
  const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"], env: {} });
  const server = createServer({ config, routes, logger: silentLogger, closeTimeoutMs: 2000 });
  const { grpcPort, httpPort } = await server.listen();
  return { server, grpcUrl: `http://127.0.0.1:${grpcPort}`, httpUrl: `http://127.0.0.1:${httpPort}` };
}

/** Send each request on one reflection stream and collect the answers. */
async function reflect<T>(send: (requests: AsyncIterable<T>) => AsyncIterable<v1.ServerReflectionResponse | v1alpha.ServerReflectionResponse>, requests: T[]) {
  async function* feed() {
    yield* requests;
  }
  const answers = [];
  for await (const answer of send(feed())) answers.push(answer);
  return answers;
}

// First in the file, so the handle baseline is not muddied by other tests' closing sockets.
describe("closing the servers", () => {
  it("ends health Watch streams and leaves no listener or socket behind", async () => {
    const baseline = countHandles();
    const { server, grpcUrl, httpUrl } = await startServer();
    const health = createClient(Health, createGrpcTransport({ baseUrl: grpcUrl }));
    const seen: ServingStatus[] = [];
    let markWatching!: () => void;
    const watching = new Promise<void>((resolve) => (markWatching = resolve));
    const watchEnded = (async () => {
      for await (const update of health.watch({ service: "" })) {
        seen.push(update.status);
        markWatching();
      }
    })();
    await watching;
    const ping = await fetch(`${httpUrl}/api/ping`);
    await ping.arrayBuffer();

    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    // The watcher hears the final NOT_SERVING and its stream ends instead of hanging.
    await watchEnded;
    expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    await expect(fetch(`${httpUrl}/api/ping`)).rejects.toThrow();
    await expect.poll(countHandles, { timeout: 2000 }).toEqual(baseline);
  });

  it("destroys connections still open after closeTimeoutMs", async () => {
    const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"], env: {} });
    const server = createServer({ config, routes, logger: silentLogger, closeTimeoutMs: 200 });
    const { grpcPort } = await server.listen();
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${grpcPort}` }));
    // A client that stops reading keeps its stream, and so the graceful close, open.
    const stalled = health.watch({ service: "" })[Symbol.asyncIterator]();
    await stalled.next();

    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await drain(stalled);
  });

  it("reports a port in use as an error naming the flag", async () => {
    const { server, grpcUrl } = await startServer();
    const taken = Number(new URL(grpcUrl).port);
    const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", String(taken), "--http-port", "0"], env: {} });
    const second = createServer({ config, routes, logger: silentLogger });
    await expect(second.listen()).rejects.toThrow(/--grpc-port.*address already in use/);
    await second.close();
    await server.close();
  });
});

describe("the coordinator's servers", () => {
  let server: Server;
  let grpcUrl: string;
  let httpUrl: string;
  const transport = () => createGrpcTransport({ baseUrl: grpcUrl });

  beforeAll(async () => {
    ({ server, grpcUrl, httpUrl } = await startServer());
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers GET /api/ping with ok while serving", async () => {
    const res = await fetch(`${httpUrl}/api/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers unknown paths with a JSON 404", async () => {
    const res = await fetch(`${httpUrl}/no/such/thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found" });
  });

  it("serves Connect JSON on the HTTP port, so curl needs no generated code", async () => {
    const res = await fetch(`${httpUrl}/concord.v1.CoordinatorService/NewGid`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ gid: "gid-from-test" });
  });

  it("answers a malformed JSON body with invalid_argument and keeps serving", async () => {
    const res = await fetch(`${httpUrl}/concord.v1.CoordinatorService/NewGid`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_argument" });
    expect((await fetch(`${httpUrl}/api/ping`)).status).toBe(200);
  });

  it("serves gRPC on the gRPC port", async () => {
    const client = createClient(CoordinatorService, transport());
    expect((await client.newGid({})).gid).toBe("gid-from-test");
  });

  it("turns an unexpected throw in a handler into Internal without leaking its message", async () => {
    const client = createClient(CoordinatorService, transport());
    const err = await client.getTransaction({ gid: "x" }).catch((e: unknown) => ConnectError.from(e));
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.Internal);
    expect((err as ConnectError).rawMessage).not.toContain("secret");
  });

  it("reports SERVING for the server and the coordinator service, NotFound for others", async () => {
    const health = createClient(Health, transport());
    expect((await health.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    expect((await health.check({ service: "concord.v1.CoordinatorService" })).status).toBe(ServingStatus.SERVING);
    await expect(health.check({ service: "nope.Service" })).rejects.toMatchObject({ code: Code.NotFound });
    const listed = await health.list({});
    expect(Object.keys(listed.statuses).sort()).toEqual(["", "concord.v1.CoordinatorService"]);
  });

  it("streams the change to NOT_SERVING to a health Watch and fails /api/ping with 503", async () => {
    const health = createClient(Health, transport());
    const abort = new AbortController();
    const seen: ServingStatus[] = [];
    const stream = health.watch({ service: "" }, { signal: abort.signal });
    try {
      for await (const update of stream) {
        seen.push(update.status);
        if (update.status === ServingStatus.SERVING) server.setServing(false);
        else break;
      }
      expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
      expect((await health.check({ service: "" })).status).toBe(ServingStatus.NOT_SERVING);
      const ping = await fetch(`${httpUrl}/api/ping`);
      expect(ping.status).toBe(503);
      await ping.body?.cancel();
    } finally {
      abort.abort();
      server.setServing(true);
    }
  });

  it("lists every served service over reflection v1 and v1alpha", async () => {
    const expected = [
      "concord.v1.CoordinatorService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ];
    const clientV1 = createClient(v1.ServerReflection, transport());
    const [answerV1] = await reflect((r) => clientV1.serverReflectionInfo(r), [create(v1.ServerReflectionRequestSchema, { messageRequest: { case: "listServices", value: "" } })]);
    expect(answerV1?.messageResponse.case).toBe("listServicesResponse");
    const namesV1 = answerV1?.messageResponse.case === "listServicesResponse" ? answerV1.messageResponse.value.service.map((s) => s.name) : [];
    expect(namesV1).toEqual(expected);

    const clientAlpha = createClient(v1alpha.ServerReflection, transport());
    const [answerAlpha] = await reflect((r) => clientAlpha.serverReflectionInfo(r), [create(v1alpha.ServerReflectionRequestSchema, { messageRequest: { case: "listServices", value: "" } })]);
    const namesAlpha = answerAlpha?.messageResponse.case === "listServicesResponse" ? answerAlpha.messageResponse.value.service.map((s) => s.name) : [];
    expect(namesAlpha).toEqual(expected);
  });

  it("answers file_containing_symbol with the file and every import, enough to rebuild the service", async () => {
    const client = createClient(v1.ServerReflection, transport());
    const symbols = ["concord.v1.CoordinatorService", "concord.v1.CoordinatorService.Submit", "concord.v1.RetryPolicy", ".concord.v1.Mode"];
    const answers = await reflect(
      (r) => client.serverReflectionInfo(r),
      symbols.map((symbol) => create(v1.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingSymbol", value: symbol } })),
    );
    expect(answers).toHaveLength(symbols.length);
    const first = answers[0]!.messageResponse;
    if (first.case !== "fileDescriptorResponse") throw new Error(`expected files, got ${first.case}`);
    const files = first.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
    expect(files[0]?.name).toBe("concord/v1/coordinator_service.proto");
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(["concord/v1/transaction.proto", "google/protobuf/duration.proto", "google/protobuf/timestamp.proto"]));
    // What grpcurl does with the answer: build a registry and find the method's types in it.
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: files.reverse() }));
    expect(registry.getService("concord.v1.CoordinatorService")?.methods.map((m) => m.name)).toContain("Submit");
    for (const answer of answers) expect(answer.messageResponse.case).toBe("fileDescriptorResponse");
  });

  it("answers file_by_filename, and unknown symbols and files with a NOT_FOUND error_response", async () => {
    const client = createClient(v1.ServerReflection, transport());
    const answers = await reflect((r) => client.serverReflectionInfo(r), [
      create(v1.ServerReflectionRequestSchema, { messageRequest: { case: "fileByFilename", value: "grpc/health/v1/health.proto" } }),
      create(v1.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingSymbol", value: "no.such.Thing" } }),
      create(v1.ServerReflectionRequestSchema, { messageRequest: { case: "fileByFilename", value: "no/such.proto" } }),
      create(v1.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingExtension", value: { containingType: "concord.v1.RetryPolicy", extensionNumber: 100 } } }),
    ]);
    expect(answers.map((a) => a.messageResponse.case)).toEqual(["fileDescriptorResponse", "errorResponse", "errorResponse", "errorResponse"]);
    for (const answer of answers.slice(1)) {
      expect(answer.messageResponse.value).toMatchObject({ errorCode: Code.NotFound });
    }
  });
});

/** Read what is left of a stream, ignoring how it ends. */
async function drain(stream: AsyncIterator<unknown>): Promise<void> {
  try {
    while (!(await stream.next()).done);
  } catch {
    // A destroyed connection ends the stream with an error; that is expected here.
  }
}

/** Listening servers and TCP sockets this process holds (fetch's keep-alive pool aside). */
function countHandles(): { servers: number; sockets: number } {
  const info = process.getActiveResourcesInfo();
  return { servers: info.filter((r) => r === "TCPServerWrap").length, sockets: info.filter((r) => r === "TCPSocketWrap").length };
}
