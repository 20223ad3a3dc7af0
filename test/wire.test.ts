/**
 * What the wire answers to requests connect-es alone gets wrong: unknown JSON fields, unknown
 * enum names, bodies that are not protobuf, unsupported content types, unknown gRPC methods,
 * and a store that went away. Real coordinator, real Postgres, real HTTP/1.1 and HTTP/2.
 */
import * as grpc from "@grpc/grpc-js";
import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../src/client/index.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

const target = "127.0.0.1:50051/bank.v1.BankService/TransOut";
const garbage = new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);

interface ConnectErrorBody {
  code: string;
  message: string;
}

describe("the wire", () => {
  let c: TestCoordinator;
  let http: string;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
    http = `http://127.0.0.1:${c.httpPort}`;
  });
  afterAll(async () => {
    await c?.stop();
  });

  const postJson = (method: string, body: unknown) =>
    fetch(`${http}/concord.v1.CoordinatorService/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("rejects an unknown JSON field with invalid_argument naming it, and stores nothing", async () => {
    const res = await postJson("Submit", {
      gid: "typo-1",
      mode: "MODE_SAGA",
      options: { retry: { maxAttempt: 3 } },
      saga: { steps: [{ action: target, compensate: target }] },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ConnectErrorBody;
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toContain("maxAttempt");
    const missing = await c.client.getTransaction({ gid: "typo-1" }).catch((e: unknown) => ConnectError.from(e));
    expect(missing).toMatchObject({ code: Code.NotFound });
  });

  it("rejects an unknown mode name with invalid_argument naming mode", async () => {
    const res = await postJson("Submit", { gid: "mode-foo", mode: "MODE_FOO", saga: { steps: [{ action: target }] } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ConnectErrorBody;
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(/^mode: unknown value "MODE_FOO"; expected one of MODE_SAGA, MODE_MSG, MODE_TCC, MODE_XA, MODE_WORKFLOW$/);
  });

  it("still accepts JSON that names only known fields", async () => {
    const res = await postJson("Submit", { gid: "known-1", mode: "MODE_SAGA", options: { retry: { maxAttempts: 3 } }, saga: { steps: [{}] } });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("answers a body that is not protobuf over Connect binary with invalid_argument (HTTP 400)", async () => {
    const res = await fetch(`${http}/concord.v1.CoordinatorService/Submit`, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: garbage,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ConnectErrorBody;
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(/^body: /);
    expect((await c.client.newGid({})).gid).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("answers a body that is not protobuf over gRPC with INVALID_ARGUMENT", async () => {
    const client = new grpc.Client(`127.0.0.1:${c.grpcPort}`, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError>((resolve, reject) =>
        client.makeUnaryRequest(
          "/concord.v1.CoordinatorService/Submit",
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(garbage),
          (e) => (e ? resolve(e) : reject(new Error("garbage was accepted"))),
        ),
      );
      expect(grpc.status[err.code]).toBe("INVALID_ARGUMENT");
      expect(err.details).toMatch(/^body: /);
    } finally {
      client.close();
    }
  });

  it("answers a body that is not protobuf over gRPC-Web with INVALID_ARGUMENT in the trailer", async () => {
    const frame = new Uint8Array(5 + garbage.length);
    new DataView(frame.buffer).setUint32(1, garbage.length);
    frame.set(garbage, 5);
    const res = await fetch(`${http}/concord.v1.CoordinatorService/Submit`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto" },
      body: frame,
    });
    const text = Buffer.from(await res.arrayBuffer()).subarray(5).toString("utf8");
    expect(text).toMatch(/grpc-status: 3\r\n/);
  });

  it("answers an unsupported content type with 415 and a JSON body naming the accepted types", async () => {
    const res = await fetch(`${http}/concord.v1.CoordinatorService/NewGid`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as ConnectErrorBody;
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toContain("application/json");
    expect(body.message).toContain("application/grpc");
  });

  it("answers a grpc-js call to an unknown service with UNIMPLEMENTED naming the method", async () => {
    const client = new grpc.Client(`127.0.0.1:${c.grpcPort}`, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError>((resolve, reject) =>
        client.makeUnaryRequest(
          "/no.such.Service/Method",
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          (e) => (e ? resolve(e) : reject(new Error("an unknown service answered OK"))),
        ),
      );
      expect(grpc.status[err.code]).toBe("UNIMPLEMENTED");
      // Before, grpc-js synthesised this from an HTTP 404: "Received HTTP status code 404".
      expect(err.details).toContain("/no.such.Service/Method");
    } finally {
      client.close();
    }
  });

  it("answers an unknown gRPC path with HTTP 200 and a trailers-only grpc-status 12", async () => {
    const session = http2.connect(`http://127.0.0.1:${c.grpcPort}`);
    try {
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": "/no.such.Service/Method", "content-type": "application/grpc" });
        stream.on("response", (h) => resolve(h));
        stream.on("error", reject);
        stream.end();
        stream.resume();
      });
      expect(headers[":status"]).toBe(200);
      expect(headers["content-type"]).toBe("application/grpc");
      expect(headers["grpc-status"]).toBe("12");
      expect(decodeURIComponent(String(headers["grpc-message"]))).toContain("/no.such.Service/Method");
    } finally {
      session.close();
    }
  });

  it("keeps the JSON 404 for plain HTTP requests to unknown paths on both ports", async () => {
    for (const port of [c.httpPort, c.grpcPort]) {
      if (port === c.grpcPort) {
        const session = http2.connect(`http://127.0.0.1:${port}`);
        const status = await new Promise<unknown>((resolve, reject) => {
          const stream = session.request({ ":method": "GET", ":path": "/no/such/thing" });
          stream.on("response", (h) => resolve(h[":status"]));
          stream.on("error", reject);
          stream.resume();
        });
        session.close();
        expect(status).toBe(404);
      } else {
        const res = await fetch(`http://127.0.0.1:${port}/no/such/thing`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ code: "not_found" });
      }
    }
  });
});

describe("a coordinator whose store becomes unreachable", () => {
  it("answers UNAVAILABLE, not INTERNAL", async () => {
    const c = await startTestCoordinator("postgres");
    try {
      expect((await c.client.newGid({})).gid).toBeTruthy();
      // The store is gone under a running server, as when Postgres goes down.
      await c.testStore.store.close();
      const err = await c.client
        .submit({ gid: "after-outage", mode: Mode.SAGA, spec: { case: "saga", value: { steps: [{ action: "" }] } } })
        .catch((e: unknown) => ConnectError.from(e));
      expect(err).toBeInstanceOf(ConnectError);
      expect(Code[(err as ConnectError).code]).toBe("Unavailable");
      const get = await c.client.getTransaction({ gid: "after-outage" }).catch((e: unknown) => ConnectError.from(e));
      expect(Code[(get as ConnectError).code]).toBe("Unavailable");
    } finally {
      await c.stop().catch(() => {});
    }
  });
});
