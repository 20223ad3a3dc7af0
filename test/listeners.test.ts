/**
 * Connection hygiene on a real `concord serve`: sockets that never complete a handshake, idle
 * HTTP/2 sessions and peers that stop answering PINGs are closed by the server.
 */
import * as http2 from "node:http2";
import * as net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startConcordProcess } from "./support/process.js";
import type { ConcordProcess } from "./support/process.js";

/** Resolve when `socket` closes; reject if it is still open after `withinMs`. */
function closedWithin(socket: net.Socket, withinMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${withinMs} ms`)), withinMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

/** A client socket that reads (and drops) whatever arrives, so it sees the server's FIN. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
    socket.resume();
  });
}

/** The HTTP/2 client preface plus an empty SETTINGS frame: a handshake, then silence. */
const prefaceAndSettings = Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

describe("concord serve connection limits", () => {
  let db: TestDatabase;
  const procs: ConcordProcess[] = [];
  const sockets: net.Socket[] = [];
  const start = async (flags: string[]) => {
    const p = await startConcordProcess(["--database-url", db.url, ...flags]);
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("closes sockets that never send an HTTP/2 preface after the handshake timeout", async () => {
    const p = await start(["--handshake-timeout-ms", "300"]);
    const silent = await Promise.all(Array.from({ length: 20 }, () => connect(p.grpcPort)));
    sockets.push(...silent);
    const closedAfter = await Promise.all(silent.map((s) => closedWithin(s, 5000)));
    expect(Math.min(...closedAfter)).toBeGreaterThanOrEqual(200);
    // The port still serves real clients.
    expect((await p.client.newGid({})).gid).toBeTruthy();
  });

  it("closes HTTP/1.1 sockets that never send request headers after the handshake timeout", async () => {
    const p = await start(["--handshake-timeout-ms", "300"]);
    const silent = await connect(p.httpPort);
    sockets.push(silent);
    await closedWithin(silent, 5000);
    const ping = await fetch(`http://127.0.0.1:${p.httpPort}/api/ping`);
    expect(ping.status).toBe(200);
  });

  it("sends GOAWAY to an HTTP/2 session idle longer than the idle timeout", async () => {
    const p = await start(["--idle-timeout-ms", "300"]);
    const session = http2.connect(`http://127.0.0.1:${p.grpcPort}`);
    try {
      const goaway = new Promise<number>((resolve) => session.once("goaway", (code) => resolve(code)));
      const closed = new Promise<void>((resolve) => session.once("close", () => resolve()));
      // One request, then nothing: the idle clock starts when its stream ends.
      await new Promise<void>((resolve, reject) => {
        const stream = session.request({ ":method": "GET", ":path": "/api/ping" });
        stream.on("error", reject);
        stream.on("end", () => resolve());
        stream.resume();
        stream.end();
      });
      const ended = Date.now();
      expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
      expect(Date.now() - ended).toBeGreaterThanOrEqual(200);
      await closed;
    } finally {
      session.destroy();
    }
  });

  it("keeps an HTTP/2 session that answers keepalive PINGs, and drops one that stops answering", async () => {
    const p = await start(["--keepalive-interval-ms", "200", "--keepalive-timeout-ms", "300", "--idle-timeout-ms", "0"]);
    // A real client acks every PING (Node does it for us) and stays connected through several.
    const session = http2.connect(`http://127.0.0.1:${p.grpcPort}`);
    try {
      let pings = 0;
      await new Promise<void>((resolve) =>
        session.on("ping", () => {
          if (++pings === 3) resolve();
        }),
      );
      expect(session.closed || session.destroyed).toBe(false);
    } finally {
      session.destroy();
    }
    // A peer that completed the handshake and then went silent is dropped after interval + timeout.
    const mute = await connect(p.grpcPort);
    sockets.push(mute);
    mute.write(prefaceAndSettings);
    // It reads (connect() resumes it) but never acks SETTINGS or PINGs.
    await closedWithin(mute, 5000);
  });
});
