/**
 * Minimal branch services for transport tests: a grpc-js service and an HTTP(S) server that
 * answer every call with success, plain or TLS (optionally asking for a client certificate), on
 * any loopback address, and count the calls they get. Several can share one port on different
 * loopback addresses (127.0.0.1 and 127.0.0.2), which is how a name with two addresses is tested.
 */
import * as grpc from "@grpc/grpc-js";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import { rawBytesService } from "../../src/protocol/index.js";

export interface EchoTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** Ask for a client certificate and refuse a connection without one signed by this CA. */
  readonly clientCaPem?: string;
}

export interface EchoBranch {
  readonly host: string;
  readonly port: number;
  /** Calls answered so far. */
  calls(): number;
  /** Subject CNs of the client certificates presented with the calls (HTTPS with a client CA). */
  clientNames(): readonly string[];
  stop(): Promise<void>;
}

export const echoService = "echo.v1.Echo";

/** A grpc-js service answering `/echo.v1.Echo/Call` with its request. Port 0: a free one. */
export async function startGrpcEcho(options: { host?: string; port?: number; tls?: EchoTls } = {}): Promise<EchoBranch> {
  const host = options.host ?? "127.0.0.1";
  let calls = 0;
  const server = new grpc.Server();
  server.addService(rawBytesService(echoService, ["Call"]), {
    Call: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      calls++;
      callback(null, call.request);
    },
  });
  const credentials =
    options.tls === undefined
      ? grpc.ServerCredentials.createInsecure()
      : grpc.ServerCredentials.createSsl(
          options.tls.clientCaPem === undefined ? null : Buffer.from(options.tls.clientCaPem),
          [{ cert_chain: Buffer.from(options.tls.certPem), private_key: Buffer.from(options.tls.keyPem) }],
          options.tls.clientCaPem !== undefined,
        );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(":") ? `[${host}]` : host}:${options.port ?? 0}`, credentials, (error, p) => (error === null ? resolve(p) : reject(error))),
  );
  return {
    host,
    port,
    calls: () => calls,
    clientNames: () => [],
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/**
 * An HTTP(S) server answering every request 200 `{"dtm_result":"SUCCESS"}`. `close`: answer with
 * `Connection: close`, so every call opens a new connection.
 */
export async function startHttpEcho(options: { host?: string; port?: number; tls?: EchoTls; close?: boolean } = {}): Promise<EchoBranch> {
  const host = options.host ?? "127.0.0.1";
  let calls = 0;
  const clientNames: string[] = [];
  const handler = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    calls++;
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    if (peer?.subject?.CN !== undefined) clientNames.push(String(peer.subject.CN));
    req.resume();
    res.writeHead(200, { "content-type": "application/json", ...(options.close === true ? { connection: "close" } : {}) });
    res.end('{"dtm_result":"SUCCESS"}');
  };
  const server: HttpServer =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          {
            cert: options.tls.certPem,
            key: options.tls.keyPem,
            ...(options.tls.clientCaPem === undefined ? {} : { ca: options.tls.clientCaPem, requestCert: true, rejectUnauthorized: true }),
          },
          handler,
        );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    host,
    port,
    calls: () => calls,
    clientNames: () => [...clientNames],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
