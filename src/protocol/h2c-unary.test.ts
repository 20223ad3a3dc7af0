import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createH2cUnaryCaller, type H2cCall } from "./h2c-unary.js";
import { transportErrors } from "./transport-errors.js";

/** A bare HTTP/2 server whose answer each test picks by method path. */
function frame(bytes: Uint8Array): Buffer {
  const b = Buffer.alloc(5 + bytes.length);
  b.writeUInt32BE(bytes.length, 1);
  b.set(bytes, 5);
  return b;
}

describe("h2c unary caller", () => {
  let server: http2.Http2Server;
  let port: number;
  const seen: http2.IncomingHttpHeaders[] = [];
  const bodies: Buffer[] = [];
  const caller = createH2cUnaryCaller();

  beforeAll(async () => {
    server = http2.createServer();
    server.on("stream", (stream, headers) => {
      seen.push(headers);
      stream.on("error", () => {}); // the resets this server sends on purpose
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        bodies.push(Buffer.concat(chunks));
        switch (headers[":path"]) {
          case "/t.S/Ok":
            stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
            stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
            stream.end(frame(new Uint8Array([7, 8, 9])));
            return;
          case "/t.S/Aborted":
            stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "10", "grpc-message": "no%20money%3A%20sorry" }, { endStream: true });
            return;
          case "/t.S/Ongoing":
            stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
            stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "9", "grpc-message": "later" }));
            stream.end();
            return;
          case "/t.S/NotGrpc":
            stream.respond({ ":status": 404, "content-type": "text/plain" });
            stream.end("not here");
            return;
          case "/t.S/Reset":
            stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
            return;
          case "/t.S/NoStatus":
            stream.respond({ ":status": 200, "content-type": "application/grpc" });
            stream.end(frame(new Uint8Array([1])));
            return;
          case "/t.S/Slow":
            setTimeout(() => {
              if (!stream.closed) stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "0" }, { endStream: true });
            }, 2000);
            return;
          default:
            stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    caller.close();
    await new Promise((r) => server.close(r));
  });

  const call = (method: string, extra: Partial<H2cCall> = {}) =>
    caller.call({ connectTo: `127.0.0.1:${port}`, authority: `bank.local:${port}`, method: `/t.S/${method}`, payload: new Uint8Array([1, 2]), headers: { "x-tenant": "t1" }, timeoutMs: 1000, ...extra });

  it("sends one framed message with the gRPC headers and the metadata, and reads the answer", async () => {
    const outcome = await call("Ok");
    expect(outcome).toEqual({ kind: "success", response: new Uint8Array([7, 8, 9]) });
    const headers = seen.at(-1)!;
    expect(headers).toMatchObject({ ":method": "POST", ":path": "/t.S/Ok", ":authority": `bank.local:${port}`, "content-type": "application/grpc", te: "trailers", "grpc-timeout": "1000m", "x-tenant": "t1" });
    expect([...bodies.at(-1)!]).toEqual([0, 0, 0, 0, 2, 1, 2]);
  });

  it("keeps a status the service sent as its answer, the message percent-decoded", async () => {
    expect(await call("Aborted")).toEqual({ kind: "failure", message: "no money: sorry" });
    expect(await call("Ongoing")).toEqual({ kind: "ongoing", message: "later" });
  });

  it("reads what the transport made up as a transport failure with a fixed text", async () => {
    for (const method of ["NotGrpc", "Reset", "NoStatus"]) {
      expect(await call(method), method).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: transportErrors.unreachable });
    }
    expect(await call("Slow", { timeoutMs: 100 })).toMatchObject({ kind: "unknown", code: Code.DeadlineExceeded, message: transportErrors.timedOut });
    // The session survives all of that.
    expect((await call("Ok")).kind).toBe("success");
  });

  it("says unreachable when nothing listens, with the real error only in the detail", async () => {
    const closed = http2.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const outcome = await call("Ok", { connectTo: `127.0.0.1:${deadPort}` });
    expect(outcome).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: transportErrors.unreachable });
    expect(outcome.kind === "unknown" && outcome.detail).toContain("ECONNREFUSED");
  });

  it("answers unavailable once closed", async () => {
    const c = createH2cUnaryCaller();
    c.close();
    expect(await c.call({ connectTo: `127.0.0.1:${port}`, authority: "x:1", method: "/t.S/Ok", payload: new Uint8Array(), headers: {}, timeoutMs: 100 })).toMatchObject({ code: Code.Unavailable });
  });
});
