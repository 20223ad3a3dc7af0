/**
 * The gRPC port's unary fast path (src/server/grpc-unary.ts) against connect-es, request by
 * request: each server below serves the same implementations, one with the fast path and one
 * with `grpcUnaryFastPath: false` (every RPC through connect-node, as before), and each case sends
 * both the same bytes and expects the same status line, headers, message and trailers (the date
 * aside). A test service shows which path ran (its stack) and what its signal said; a real
 * coordinator on PGlite answers the same Submit, NewGid and refusals to grpc-js, connect-es's
 * gRPC transport and grpcurl.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { create, toBinary } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoordinatorService, SubmitRequestSchema } from "../gen/ts/concord/v1/coordinator_service_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../gen/ts/grpc/health/v1/health_pb.js";
import { createAuthenticator, loadTokensFile } from "../src/auth/index.js";
import { Mode } from "../src/client/index.js";
import { resolveConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import { createServer, type Server, type ServerOptions } from "../src/server/index.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { testToken, writeTestTokens } from "./support/tokens.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const grpcurl = `${root}/.bin/grpcurl`;
const dir = mkdtempSync(join(tmpdir(), "concord-grpc-unary-"));
const tokensFile = writeTestTokens(dir);
const bearer = (name: string) => `Bearer ${testToken(name)}`;
const submitPath = "/concord.v1.CoordinatorService/Submit";

/** What the client saw of one call: the date header aside, everything. */
interface Answer {
  headers?: Record<string, unknown>;
  trailers?: Record<string, unknown>;
  body: string;
  rstCode: number;
}

interface RawCall {
  path?: string;
  headers?: Record<string, string>;
  body?: Uint8Array[];
  /** Leave the request open (default: end it after the body). */
  open?: boolean;
  /** Reset the stream (CANCEL) this long after sending, ms. */
  resetAfterMs?: number;
}

/** One call on a fresh HTTP/2 connection, frames as written. */
function raw(port: number, call: RawCall): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const answer: Answer = { body: "", rstCode: -1 };
    const headers: Record<string, string> = {
      ":method": "POST",
      ":path": call.path ?? submitPath,
      "content-type": "application/grpc",
      te: "trailers",
      authorization: bearer("orders"),
      ...call.headers,
    };
    // An empty value leaves the header out (a call without a token).
    const stream = session.request(Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== "")));
    stream.on("response", (headers) => {
      const { date: _date, ...rest } = headers;
      answer.headers = Object.fromEntries(Object.entries(rest));
    });
    stream.on("trailers", (trailers) => (answer.trailers = Object.fromEntries(Object.entries(trailers))));
    stream.on("data", (chunk: Buffer) => (answer.body += chunk.toString("hex")));
    stream.on("error", () => {});
    stream.on("close", () => {
      answer.rstCode = stream.rstCode ?? -1;
      session.close();
      resolve(answer);
    });
    for (const chunk of call.body ?? []) stream.write(chunk);
    if (!call.open) stream.end();
    if (call.resetAfterMs !== undefined) setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), call.resetAfterMs);
  });
}

/** A gRPC envelope: flags, length, message. */
function envelope(message: Uint8Array, flags = 0): Uint8Array {
  const out = Buffer.alloc(5 + message.byteLength);
  out[0] = flags;
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, 5);
  return out;
}

const submitBytes = (gid: string) => toBinary(SubmitRequestSchema, create(SubmitRequestSchema, { gid }));
const garbage = new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);

/** Run a command without blocking the event loop (the servers under test share it). */
function exec(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }));
  });
}

/** A grpc-js unary call with raw bytes: the error or answer, and the headers and trailers it got. */
function grpcJsCall(port: number, path: string, message: Uint8Array, options: { token?: string; deadlineMs?: number; cancelAfterMs?: number } = {}) {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (options.token) metadata.set("authorization", bearer(options.token));
  return new Promise<{ error?: grpc.ServiceError; value?: Buffer; headers?: grpc.Metadata; trailers?: grpc.Metadata }>((resolve) => {
    const seen: { headers?: grpc.Metadata; trailers?: grpc.Metadata } = {};
    const call = client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(message),
      metadata,
      options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs },
      (error, value) => setImmediate(() => (client.close(), resolve({ ...seen, ...(error ? { error } : { value }) }))),
    );
    call.on("metadata", (m) => (seen.headers = m));
    call.on("status", (s) => (seen.trailers = s.metadata));
    if (options.cancelAfterMs !== undefined) setTimeout(() => call.cancel(), options.cancelAfterMs);
  });
}

const withToken =
  (name: string): Interceptor =>
  (next) =>
  (req) => {
    req.header.set("authorization", bearer(name));
    return next(req);
  };

/** What the test service saw of each call, by gid. */
const seen = new Map<string, { fast: boolean; reason?: string }>();

/** The test service: answers by gid prefix, and notes which path served it. */
function testRoutes(): ServerOptions["routes"] {
  return (router) => {
    router.service(CoordinatorService, {
      newGid: () => ({ gid: "g-1" }),
      async submit(req, ctx) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 100;
        const fast = /server[\\/]grpc-unary\.[jt]s/.test(new Error().stack ?? "");
        Error.stackTraceLimit = limit;
        seen.set(req.gid, { fast });
        if (req.gid.startsWith("headers")) {
          ctx.responseHeader.set("x-answer", "header value");
          ctx.responseTrailer.set("x-done", "trailer value");
        }
        if (req.gid.startsWith("details")) {
          const error = new ConnectError("gid: not one of ours (100%)", Code.InvalidArgument, { "x-why": "because" });
          error.details.push({ desc: DurationSchema, value: { seconds: 5n } });
          throw error;
        }
        if (req.gid.startsWith("slow")) {
          await new Promise((resolve) => {
            ctx.signal.addEventListener("abort", resolve);
            setTimeout(resolve, 10_000);
          });
          seen.set(req.gid, { fast, reason: String(ctx.signal.reason) });
          throw new Error("gave up");
        }
        return { transaction: { gid: req.gid } };
      },
    });
  };
}

async function startPair(options: Omit<ServerOptions, "config" | "logger">): Promise<{ fast: number; connect: number; servers: Server[] }> {
  const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"], env: {} });
  const servers = [createServer({ config, logger: silentLogger, closeTimeoutMs: 1000, ...options }), createServer({ config, logger: silentLogger, closeTimeoutMs: 1000, ...options, grpcUnaryFastPath: false })];
  const [fast, connect] = await Promise.all(servers.map(async (s) => (await s.listen()).grpcPort));
  for (const s of servers) s.setServing(true);
  return { fast: fast!, connect: connect!, servers };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the gRPC unary fast path, on a test service, against connect-es", () => {
  let ports: { fast: number; connect: number; servers: Server[] };
  beforeAll(async () => {
    ports = await startPair({ routes: testRoutes(), authenticator: createAuthenticator({ tokens: await loadTokensFile(tokensFile) }) });
  });
  afterAll(async () => {
    await Promise.all(ports?.servers.map((s) => s.close()) ?? []);
  });

  /**
   * Send `call` to both servers: the answers must be the same; returns the fast path's. A call
   * made per path (its own gid, "…-f" or "…-c", echoed in the answer) is compared but for the
   * message's bytes.
   */
  const both = async (call: RawCall | ((path: "fast" | "connect") => RawCall)): Promise<Answer> => {
    const of = (p: "fast" | "connect") => (typeof call === "function" ? call(p) : call);
    const fast = await raw(ports.fast, of("fast"));
    const connect = await raw(ports.connect, of("connect"));
    if (typeof call === "function") expect({ ...fast, body: fast.body.length }).toEqual({ ...connect, body: connect.body.length });
    else expect(fast).toEqual(connect);
    return fast;
  };

  it("answers a normal call with the handler's headers and trailers, to raw HTTP/2, grpc-js and connect-es alike", async () => {
    const answer = await both((p) => ({ body: [envelope(submitBytes(`headers-${p[0]}`))] }));
    expect(answer.headers).toEqual({ ":status": 200, "content-type": "application/grpc+proto", "x-answer": "header value" });
    expect(answer.trailers).toEqual({ "grpc-status": "0", "x-done": "trailer value" });
    expect(seen.get("headers-f")).toEqual({ fast: true });
    expect(seen.get("headers-c")).toEqual({ fast: false });

    for (const [name, port] of Object.entries({ fast: ports.fast, connect: ports.connect })) {
      const js = await grpcJsCall(port, submitPath, submitBytes(`headers-js-${name}`), { token: "orders" });
      expect(js.error, name).toBeUndefined();
      expect(js.headers?.get("x-answer"), name).toEqual(["header value"]);
      expect(js.trailers?.get("x-done"), name).toEqual(["trailer value"]);
      const client = createClient(CoordinatorService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}`, interceptors: [withToken("orders")] }));
      let header: Headers | undefined;
      let trailer: Headers | undefined;
      const res = await client.submit({ gid: `headers-es-${name}` }, { onHeader: (h) => (header = h), onTrailer: (t) => (trailer = t) });
      expect(res.transaction?.gid).toBe(`headers-es-${name}`);
      expect(header?.get("x-answer")).toBe("header value");
      expect(trailer?.get("x-done")).toBe("trailer value");
    }
    expect(seen.get("headers-js-fast")?.fast).toBe(true);
    expect(seen.get("headers-es-fast")?.fast).toBe(true);
    expect(seen.get("headers-es-connect")?.fast).toBe(false);
  });

  it("answers an error with its message, metadata and details as the connect path does", async () => {
    const answer = await both({ body: [envelope(submitBytes("details"))] });
    expect(answer.trailers).toMatchObject({ "grpc-status": "3", "x-why": "because" });
    expect(answer.trailers?.["grpc-status-details-bin"]).toBeTruthy();
    const js = await Promise.all([ports.fast, ports.connect].map((port) => grpcJsCall(port, submitPath, submitBytes("details"), { token: "orders" })));
    expect(js[0]!.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(js[0]!.error?.details).toBe(js[1]!.error?.details);
    expect(js[0]!.error?.metadata.getMap()).toEqual(js[1]!.error?.metadata.getMap());
    const errors = await Promise.all(
      [ports.fast, ports.connect].map((port) =>
        createClient(CoordinatorService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}`, interceptors: [withToken("orders")] }))
          .submit({ gid: "details" })
          .catch((e: unknown) => ConnectError.from(e)),
      ),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectError);
      const e = error as ConnectError;
      expect(e.code).toBe(Code.InvalidArgument);
      expect(e.rawMessage).toBe("gid: not one of ours (100%)");
      expect(e.metadata.get("x-why")).toBe("because");
      expect(e.findDetails(DurationSchema).map((d) => d.seconds)).toEqual([5n]);
    }
  });

  it("answers a body that does not parse with INVALID_ARGUMENT naming the body, as the connect path does", async () => {
    const answer = await both({ body: [envelope(garbage)] });
    expect(answer.trailers?.["grpc-status"]).toBe("3");
    expect(answer.trailers?.["grpc-message"]).toMatch(/^body: not a valid protobuf message \(parse binary: /);
    const js = await Promise.all([ports.fast, ports.connect].map((port) => grpcJsCall(port, submitPath, garbage, { token: "orders" })));
    expect(js[0]!.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(js[0]!.error?.details).toBe(js[1]!.error?.details);
  });

  it("answers a too-large message RESOURCE_EXHAUSTED, as the connect path does", async () => {
    // Only the envelope's header, announcing 32 MiB: refused before the rest arrives.
    const answer = await both({ body: [new Uint8Array([0, 0x02, 0, 0, 0])], open: true, resetAfterMs: 1000 });
    expect(answer.trailers).toMatchObject({ "grpc-status": "8" });
    expect(decodeURIComponent(String(answer.trailers?.["grpc-message"]))).toBe("message size 33554432 is larger than configured readMaxBytes 16777216");
    // A whole message one byte over the limit, from grpc-js.
    const over = new Uint8Array(16 * 1024 * 1024 + 1);
    const js = await Promise.all([ports.fast, ports.connect].map((port) => grpcJsCall(port, submitPath, over, { token: "orders" })));
    expect(js[0]!.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(js[0]!.error?.details).toBe(js[1]!.error?.details);
    expect(js[1]!.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it("answers a compressed envelope without an encoding, no message, two messages, a cut envelope and a bad grpc-timeout as the connect path does", async () => {
    const message = envelope(submitBytes("x"));
    const cases: [string, RawCall][] = [
      ["13", { body: [envelope(submitBytes("x"), 1)] }],
      ["12", { body: [] }],
      ["12", { body: [message, message] }],
      ["3", { body: [message, envelope(garbage)] }],
      ["3", { body: [message.subarray(0, 7)] }],
      ["3", { body: [new Uint8Array([0, 0])] }],
      ["3", { headers: { "grpc-timeout": "soon" }, body: [message] }],
    ];
    for (const [status, call] of cases) {
      const answer = await both(call);
      expect(answer.trailers?.["grpc-status"], JSON.stringify(call)).toBe(status);
      expect(answer.headers?.[":status"]).toBe(200);
    }
    // An uncompressed answer negotiated the way grpc-js asks (grpc-accept-encoding), and a large one.
    const negotiated = await both({ headers: { "grpc-accept-encoding": "identity,deflate,gzip" }, body: [message] });
    expect(negotiated.headers?.["grpc-encoding"]).toBe("gzip");
    const large = await both({ headers: { "grpc-accept-encoding": "gzip" }, body: [envelope(submitBytes("x".repeat(2000)))] });
    expect(large.body.slice(0, 2)).toBe("01");
  });

  it("aborts the handler's signal when grpc-timeout runs out, and answers DEADLINE_EXCEEDED", async () => {
    const answer = await both((p) => ({ headers: { "grpc-timeout": "300m" }, body: [envelope(submitBytes(`slow-deadline-${p[0]}`))] }));
    expect(answer.trailers).toEqual({ "grpc-status": "4", "grpc-message": "the%20operation%20timed%20out" });
    for (const p of ["fast", "connect"]) {
      expect(seen.get(`slow-deadline-${p[0]}`)).toEqual({ fast: p === "fast", reason: "ConnectError: [deadline_exceeded] the operation timed out" });
    }
    const js = await grpcJsCall(ports.fast, submitPath, submitBytes("slow-deadline-js"), { token: "orders", deadlineMs: 300 });
    expect(js.error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await expect.poll(() => seen.get("slow-deadline-js")?.reason).toMatch(/deadline_exceeded|canceled/);
  });

  it("aborts the handler's signal when the client cancels", async () => {
    const answer = await both((p) => ({ body: [envelope(submitBytes(`slow-cancel-${p[0]}`))], resetAfterMs: 200 }));
    expect(answer).toEqual({ body: "", rstCode: http2.constants.NGHTTP2_CANCEL });
    for (const p of ["fast", "connect"]) {
      await expect.poll(() => seen.get(`slow-cancel-${p[0]}`)).toEqual({ fast: p === "fast", reason: "ConnectError: [canceled] http/2 stream closed with error code CANCEL (0x8)" });
    }
    const js = await grpcJsCall(ports.fast, submitPath, submitBytes("slow-cancel-js"), { token: "orders", cancelAfterMs: 200 });
    expect(js.error?.code).toBe(grpc.status.CANCELLED);
    await expect.poll(() => seen.get("slow-cancel-js")?.reason).toMatch(/canceled/);
  });

  it("refuses a call without a token (UNAUTHENTICATED) or without the scope (PERMISSION_DENIED) as the connect path does", async () => {
    const message = envelope(submitBytes("refused"));
    const none = await both({ headers: { authorization: "" }, body: [message] });
    expect(none.trailers).toEqual({ "grpc-status": "16", "grpc-message": "unauthenticated" });
    const wrong = await both({ headers: { authorization: bearer("nobody") }, body: [message] });
    expect(wrong.trailers).toEqual({ "grpc-status": "16", "grpc-message": "unauthenticated" });
    const reader = await both({ headers: { authorization: bearer("auditor") }, body: [message] });
    expect(reader.trailers).toEqual({ "grpc-status": "7", "grpc-message": "permission%20denied%3A%20needs%20the%20submit%20scope" });
    expect(seen.has("refused")).toBe(false);
    // Health is open: no token needed.
    const check = await both({ path: "/grpc.health.v1.Health/Check", headers: { authorization: "" }, body: [envelope(new Uint8Array())] });
    expect(check.trailers).toEqual({ "grpc-status": "0" });
    expect(check.body).toBe("00000000020801");
  });

  it("answers an unknown method UNIMPLEMENTED and a GET 405, as before", async () => {
    const unknown = await both({ path: "/concord.v1.CoordinatorService/Nope", body: [envelope(new Uint8Array())] });
    expect(unknown.headers).toMatchObject({ "grpc-status": "12" });
    const get = await both({ headers: { ":method": "GET" } });
    expect(get.headers?.[":status"]).toBe(405);
  });

  it("leaves health Watch, Connect, gRPC-Web, gRPC JSON and compressed gRPC to connect-es on the same port", async () => {
    const baseUrl = `http://127.0.0.1:${ports.fast}`;
    const stop = new AbortController();
    const watch = createClient(Health, createGrpcTransport({ baseUrl })).watch({ service: "" }, { signal: stop.signal })[Symbol.asyncIterator]();
    expect((await watch.next()).value?.status).toBe(ServingStatus.SERVING);
    stop.abort();
    await expect(watch.next()).rejects.toThrow(/canceled/);
    const transports = {
      connect: createConnectTransport({ baseUrl, httpVersion: "2", interceptors: [withToken("orders")] }),
      grpcWeb: createGrpcWebTransport({ baseUrl, httpVersion: "2", interceptors: [withToken("orders")] }),
      grpcJson: createGrpcTransport({ baseUrl, useBinaryFormat: false, interceptors: [withToken("orders")] }),
      grpcGzip: createGrpcTransport({ baseUrl, sendCompression: compressionGzip, compressMinBytes: 1, interceptors: [withToken("orders")] }),
      grpc: createGrpcTransport({ baseUrl, interceptors: [withToken("orders")] }),
    };
    for (const [name, transport] of Object.entries(transports)) {
      const res = await createClient(CoordinatorService, transport).submit({ gid: `via-${name}` });
      expect(res.transaction?.gid).toBe(`via-${name}`);
      expect(seen.get(`via-${name}`), name).toEqual({ fast: name === "grpc" });
    }
  });
});

describe("the gRPC unary fast path, on a real coordinator", () => {
  let c: TestCoordinator;
  let connectServer: Server;
  let connectPort: number;
  beforeAll(async () => {
    c = await startTestCoordinator("pglite", { tokensFile });
    connectServer = createServer({
      config: c.config,
      routes: (r) => c.coordinator.routes(r),
      httpRoutes: c.coordinator.httpRoutes,
      logger: silentLogger,
      closeTimeoutMs: 1000,
      authenticator: c.coordinator.authenticator,
      grpcUnaryFastPath: false,
    });
    connectPort = (await connectServer.listen()).grpcPort;
  });
  afterAll(async () => {
    await connectServer?.close();
    await c?.stop();
  });

  const both = async (call: RawCall): Promise<Answer> => {
    const fast = await raw(c.grpcPort, call);
    const connect = await raw(connectPort, call);
    expect(fast).toEqual(connect);
    return fast;
  };

  it("serves Submit and NewGid to grpc-js and connect-es's gRPC transport", async () => {
    const gid = await grpcJsCall(c.grpcPort, "/concord.v1.CoordinatorService/NewGid", new Uint8Array(), { token: "orders" });
    expect(gid.error).toBeUndefined();
    expect(gid.value?.subarray(2).toString()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const client = createClient(CoordinatorService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}`, interceptors: [withToken("orders")] }));
    const res = await client.submit({ gid: "fast-saga-1", mode: Mode.SAGA, spec: { case: "saga", value: { steps: [{}] } } });
    expect(res.transaction?.gid).toBe("fast-saga-1");
  });

  it("answers an invalid Submit, a body that does not parse and refused callers exactly as the connect path does", async () => {
    const invalid = await both({ body: [envelope(submitBytes("not a gid!"))] });
    expect(invalid.trailers?.["grpc-status"]).toBe("3");
    expect(invalid.trailers?.["grpc-message"]).toMatch(/^gid/);
    await both({ body: [envelope(garbage)] });
    await both({ headers: { authorization: "" }, body: [envelope(submitBytes("x"))] });
    await both({ headers: { authorization: bearer("auditor") }, body: [envelope(submitBytes("x"))] });
    const js = await Promise.all([c.grpcPort, connectPort].map((port) => grpcJsCall(port, submitPath, submitBytes("not a gid!"), { token: "orders" })));
    expect(js[0]!.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(js[0]!.error?.details).toBe(js[1]!.error?.details);
  });

  it.skipIf(!existsSync(grpcurl))("answers grpcurl (reflection on connect-es, the call on the fast path) as the connect path does", async () => {
    const auth = ["-plaintext", "-H", `authorization: ${bearer("orders")}`];
    const newGid = await exec(grpcurl, [...auth, "-d", "{}", `127.0.0.1:${c.grpcPort}`, "concord.v1.CoordinatorService/NewGid"]);
    expect(newGid.code, newGid.stderr).toBe(0);
    expect(JSON.parse(newGid.stdout)).toMatchObject({ gid: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    const refused = await Promise.all(
      [c.grpcPort, connectPort].map((port) => exec(grpcurl, [...auth, "-d", '{"gid": "not a gid!"}', `127.0.0.1:${port}`, "concord.v1.CoordinatorService/Submit"])),
    );
    expect(refused[0]!.stderr).toContain("Code: InvalidArgument");
    expect(refused[0]).toEqual(refused[1]);
  });
});
