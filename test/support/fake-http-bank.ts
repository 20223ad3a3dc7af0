/**
 * A fake bank branch service over HTTP for tests: a real node:http server on loopback, speaking
 * dtm's HTTP branch protocol.
 *
 * Any path is a method (`/api/TransOut` is `TransOut`): it answers 200 with the request body
 * echoed and records the call. Scenarios steer it per method with one-shot switches (`failNext`)
 * or a persistent mode (`setDefault`), then assert the exact calls: method, query, headers, body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a method does with a call. */
export type HttpBankBehaviour =
  /** 200, body echoed. */
  | "ok"
  /** 409 `{"dtm_result":"FAILURE"}`. */
  | "conflict"
  /** 200 `{"dtm_result":"FAILURE"}`: dtm's `*Old` handlers answer so; a failure too. */
  | "failure-body"
  /** 425 `{"dtm_result":"ONGOING"}`. */
  | "too-early"
  /** 200 `{"dtm_result":"ONGOING"}`. */
  | "ongoing-body"
  /** 500 `internal error`. */
  | "error"
  /** Read the request, then never answer (until the bank stops). */
  | "hang"
  /** 425 `{"dtm_result":"ONGOING"}` after 300 ms: a branch still deciding, and slow to say so. */
  | "slow-too-early"
  /** 200 with a JSON-RPC error of dtm's failure code (-32901). */
  | "jsonrpc-failure"
  /** 200 with a JSON-RPC error of dtm's ongoing code (-32902). */
  | "jsonrpc-ongoing"
  /** 200 with a JSON-RPC error of any other code. */
  | "jsonrpc-error";

/** One call the bank received. */
export interface HttpBankCall {
  /** The path's last segment. */
  readonly name: string;
  readonly httpMethod: string;
  readonly path: string;
  /** The query parameters (first value of each). */
  readonly query: Readonly<Record<string, string>>;
  readonly gid: string;
  readonly branchId: string;
  readonly op: string;
  readonly transType: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  /** Arrival time, `Date.now()`. */
  readonly at: number;
}

export interface FakeHttpBank {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** `127.0.0.1:PORT`, the key of its circuit. */
  readonly address: string;
  /** `http://127.0.0.1:PORT/api/<name>`, with `query` appended when given. */
  target(name: string, query?: string): string;
  /** Calls received, in arrival order; only `name`'s when given. */
  calls(name?: string): readonly HttpBankCall[];
  /** Resolve with `name`'s calls once it has received `n`; reject after `timeoutMs` (default 5000). */
  waitForCalls(name: string, n: number, timeoutMs?: number): Promise<readonly HttpBankCall[]>;
  /** Answer the next `times` calls of `name` with `kind`, then go back to its default. */
  failNext(name: string, kind: HttpBankBehaviour, times?: number): void;
  /** Answer every call of `name` with `kind` (after any queued one-shot switches). */
  setDefault(name: string, kind: HttpBankBehaviour): void;
  /** Forget calls, switches and defaults. */
  reset(): void;
  /** Stop serving, closing every connection (hung ones too). Idempotent. */
  stop(): Promise<void>;
}

const answers: Record<Exclude<HttpBankBehaviour, "ok" | "hang">, [number, string]> = {
  conflict: [409, '{"dtm_result":"FAILURE","message":"insufficient balance"}'],
  "failure-body": [200, '{"dtm_result":"FAILURE"}'],
  "too-early": [425, '{"dtm_result":"ONGOING"}'],
  "slow-too-early": [425, '{"dtm_result":"ONGOING"}'],
  "ongoing-body": [200, '{"dtm_result":"ONGOING"}'],
  error: [500, "internal error"],
  "jsonrpc-failure": [200, '{"jsonrpc":"2.0","id":"1","error":{"code":-32901,"message":"insufficient balance"}}'],
  "jsonrpc-ongoing": [200, '{"jsonrpc":"2.0","id":"1","error":{"code":-32902,"message":"not yet"}}'],
  "jsonrpc-error": [200, '{"jsonrpc":"2.0","id":"1","error":{"code":-32000,"message":"server error"}}'],
};

/** Start a fake HTTP bank on a free loopback port. */
export async function startFakeHttpBank(): Promise<FakeHttpBank> {
  let calls: HttpBankCall[] = [];
  let switches = new Map<string, HttpBankBehaviour[]>();
  let defaults = new Map<string, HttpBankBehaviour>();
  let waiters: { name: string; n: number; resolve: (calls: readonly HttpBankCall[]) => void }[] = [];
  const callsOf = (name?: string) => (name === undefined ? calls : calls.filter((c) => c.name === name));

  function behaviour(name: string): HttpBankBehaviour {
    return switches.get(name)?.shift() ?? defaults.get(name) ?? "ok";
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://bank.invalid");
    const query = Object.fromEntries(url.searchParams);
    const name = url.pathname.split("/").at(-1) ?? "";
    calls.push({
      name,
      httpMethod: req.method ?? "",
      path: url.pathname,
      query,
      gid: query["gid"] ?? "",
      branchId: query["branch_id"] ?? "",
      op: query["op"] ?? "",
      transType: query["trans_type"] ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks),
      at: Date.now(),
    });
    const kind = behaviour(name);
    for (const waiter of waiters.filter((w) => callsOf(w.name).length >= w.n)) waiter.resolve(callsOf(waiter.name));
    waiters = waiters.filter((w) => callsOf(w.name).length < w.n);
    if (kind === "hang") return;
    if (kind === "slow-too-early") await new Promise((resolve) => setTimeout(resolve, 300));
    const [status, body] = kind === "ok" ? [200, Buffer.concat(chunks)] : answers[kind];
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let stopped = false;

  return {
    origin,
    address: `127.0.0.1:${port}`,
    target: (name, query) => `${origin}/api/${name}${query === undefined ? "" : `?${query}`}`,
    calls: callsOf,
    waitForCalls(name, n, timeoutMs = 5000) {
      if (callsOf(name).length >= n) return Promise.resolve(callsOf(name));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${n} calls of ${name}, got ${callsOf(name).length} of ${n}`)), timeoutMs);
        waiters.push({ name, n, resolve: (c) => (clearTimeout(timer), resolve(c)) });
      });
    },
    failNext(name, kind, times = 1) {
      switches.set(name, [...(switches.get(name) ?? []), ...Array<HttpBankBehaviour>(times).fill(kind)]);
    },
    setDefault(name, kind) {
      defaults.set(name, kind);
    },
    reset() {
      calls = [];
      switches = new Map();
      defaults = new Map();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
