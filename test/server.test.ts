import * as http2 from "node:http2";
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
import { createServer, HttpError, type HttpRoute, type Server } from "../src/server/index.js";

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
    // Concord's check reads `status`, dtm's `msg`.
    expect(await res.json()).toEqual({ status: "ok", msg: "pong" });
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

describe("routes added without editing the server", () => {
  let server: Server;
  let httpUrl: string;
  let grpcUrl: string;
  const seen: { method: string; path: string; query: string; body: unknown }[] = [];
  const httpRoutes: HttpRoute[] = [
    {
      methods: ["POST", "GET"],
      path: "/api/dtmsvr/",
      prefix: true,
      async handle(req) {
        const body = req.method === "POST" ? await req.json() : undefined;
        seen.push({ method: req.method, path: req.path, query: req.query.toString(), body });
        if (req.path === "/api/dtmsvr/refuse") throw new HttpError(409, "failed_precondition", "gid: already finished");
        return { json: { dtm_result: "SUCCESS", path: req.path } };
      },
    },
    { methods: ["GET"], path: "/api/dtmsvr/version", handle: () => ({ body: "v-exact", headers: { "content-type": "text/plain" } }) },
    { methods: ["GET"], path: "/metrics", handle: () => ({ body: "concord_up 1\n", headers: { "content-type": "text/plain; version=0.0.4" } }) },
  ];

  beforeAll(async () => {
    const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"], env: {} });
    server = createServer({
      config,
      logger: silentLogger,
      httpRoutes,
      routes(router) {
        routes(router);
        // A second application service: health must report it without a list kept by hand.
        router.service(v1alpha.ServerReflection, { serverReflectionInfo: async function* () {} });
      },
    });
    const ports = await server.listen();
    httpUrl = `http://127.0.0.1:${ports.httpPort}`;
    grpcUrl = `http://127.0.0.1:${ports.grpcPort}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it("serves a prefix route with JSON in and out, query string included", async () => {
    const res = await fetch(`${httpUrl}/api/dtmsvr/submit?trans_type=saga`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"gid":"g1"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ dtm_result: "SUCCESS", path: "/api/dtmsvr/submit" });
    expect(seen.at(-1)).toEqual({ method: "POST", path: "/api/dtmsvr/submit", query: "trans_type=saga", body: { gid: "g1" } });
  });

  it("prefers an exact route over a prefix, and serves plain text", async () => {
    const res = await fetch(`${httpUrl}/api/dtmsvr/version`);
    expect(await res.text()).toBe("v-exact");
    const metrics = await fetch(`${httpUrl}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    expect(await metrics.text()).toBe("concord_up 1\n");
  });

  it("answers an HttpError with its status and a JSON error, malformed JSON with 400, a wrong method with 405", async () => {
    const refused = await fetch(`${httpUrl}/api/dtmsvr/refuse`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ code: "failed_precondition", message: "gid: already finished" });
    const malformed = await fetch(`${httpUrl}/api/dtmsvr/submit`, { method: "POST", body: "{nope" });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^body: /) });
    const wrongMethod = await fetch(`${httpUrl}/metrics`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET");
    await wrongMethod.body?.cancel();
  });

  it("serves the routes on the gRPC port too, and keeps /api/ping", async () => {
    const session = http2.connect(grpcUrl);
    try {
      const answer = await new Promise<{ status: unknown; body: string }>((resolve, reject) => {
        const stream = session.request({ ":method": "GET", ":path": "/metrics" });
        let body = "";
        let status: unknown;
        stream.on("response", (h) => (status = h[":status"]));
        stream.on("data", (d: Buffer) => (body += d.toString()));
        stream.on("end", () => resolve({ status, body }));
        stream.on("error", reject);
      });
      expect(answer).toEqual({ status: 200, body: "concord_up 1\n" });
    } finally {
      session.close();
    }
    expect((await fetch(`${httpUrl}/api/ping`)).status).toBe(200);
  });

  it("reports health for every service the routes registered", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: grpcUrl }));
    const listed = await health.list({});
    expect(Object.keys(listed.statuses).sort()).toEqual(["", "concord.v1.CoordinatorService", "grpc.reflection.v1alpha.ServerReflection"]);
    expect((await health.check({ service: "grpc.reflection.v1alpha.ServerReflection" })).status).toBe(ServingStatus.SERVING);
  });
});

describe("closing while calls run", () => {
  it("answers UNAVAILABLE, not INTERNAL, for an unexpected error once the server is closing", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let fail!: () => void;
    const failing = new Promise<void>((resolve) => (fail = resolve));
    const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"], env: {} });
    const server = createServer({
      config,
      logger: silentLogger,
      routes(router) {
        router.service(CoordinatorService, {
          async getTransaction() {
            entered();
            await failing;
            // What a handler sees when parts are torn down under it.
            throw new TypeError("Cannot read properties of undefined (reading 'query')");
          },
        });
      },
    });
    const { grpcPort } = await server.listen();
    const client = createClient(CoordinatorService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${grpcPort}` }));
    const call = client.getTransaction({ gid: "x" }).catch((e: unknown) => ConnectError.from(e));
    await inHandler;
    const closed = server.close();
    fail();
    const err = await call;
    expect(Code[(err as ConnectError).code]).toBe("Unavailable");
    await closed;
  });

  it("a second close() with forceAfterMs brings the deadline for open connections forward", async () => {
    const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0", "--shutdown-grace-ms", "60000"], env: {} });
    const server = createServer({ config, routes, logger: silentLogger });
    const { grpcPort } = await server.listen();
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${grpcPort}` }));
    // A client that stops reading keeps its stream, and so the graceful close, open.
    const stalled = health.watch({ service: "" })[Symbol.asyncIterator]();
    await stalled.next();
    // The first call's deadline is grace + margin, 65 s here: far beyond this test.
    const closed = server.close();
    const started = Date.now();
    await server.close({ forceAfterMs: 100 });
    await closed;
    expect(Date.now() - started).toBeLessThan(2000);
    await drain(stalled);
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
