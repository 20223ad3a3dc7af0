/**
 * dtm's HTTP API under `/api/dtmsvr` and its JSON-RPC endpoint `/api/json-rpc` (dtm-compat.md §2,
 * §7), as plain HTTP routes of the HTTP port. Each answer follows dtm's convention: 200 with the
 * result (`{"dtm_result":"SUCCESS"}` when there is none), 409/425 with `dtm_result`, 500 (503
 * when Concord cannot serve) with a message and Concord's code. Internal module.
 */
import type { HttpRoute, HttpRouteRequest, HttpRouteResponse } from "../server/index.js";
import { HttpError } from "../server/index.js";
import { allows, permissionDenied, type Access } from "../auth/index.js";
import type { Logger } from "../logger.js";
import { invalid } from "../api/index.js";
import { dtmResult } from "../protocol/index.js";
import { dtmHttpError, isExpected } from "./errors.js";
import { serveJsonRpc } from "./json-rpc.js";
import { dtmProgressesJson, httpCall, type DtmService } from "./service.js";
import { branchFromJson, transFromJson } from "./wire.js";

export const dtmHttpPrefix = "/api/dtmsvr/";

export const dtmJsonRpcPath = "/api/json-rpc";

const ok = { dtm_result: dtmResult.success } as const;

type Operation = (req: HttpRouteRequest) => Promise<unknown>;

/** What each operation of dtm's HTTP API needs (the scopes as for concord.v1's counterparts); unlisted: admin. */
const dtmHttpAccess: Readonly<Record<string, Access>> = {
  version: "authenticated",
  newGid: ["submit"],
  prepare: ["submit"],
  submit: ["submit"],
  abort: ["submit"],
  registerBranch: ["submit"],
  registerXaBranch: ["submit"],
  registerTccBranch: ["submit"],
  prepareWorkflow: ["submit"],
  // A reader reads any transaction, a submitter its own (checked by the query).
  query: ["read", "submit"],
  scanKV: ["read"],
  queryKV: ["read"],
  all: ["admin"],
  forceStop: ["admin"],
  resetNextCronTime: ["admin"],
  resetCronTime: ["admin"],
  subscribe: ["admin"],
  unsubscribe: ["admin"],
};

/** The routes: `/api/dtmsvr/*` and `/api/json-rpc`. */
export function dtmHttpRoutes(service: DtmService, logger: Logger): HttpRoute[] {
  const q = (req: HttpRouteRequest, name: string): string => req.query.get(name) ?? "";
  const body = async (req: HttpRouteRequest): Promise<unknown> => {
    try {
      return await req.json();
    } catch (error) {
      if (error instanceof HttpError && error.code === "invalid_argument") throw invalid("body", error.message.replace(/^body: /, ""));
      throw error;
    }
  };
  const gidOf = async (req: HttpRouteRequest): Promise<string> => {
    const b = await body(req);
    const gid = typeof b === "object" && b !== null ? (b as { gid?: unknown }).gid : undefined;
    if (typeof gid !== "string" || gid === "") throw invalid("gid", "required");
    return gid;
  };
  const done = () => ok;

  const operations: Readonly<Record<string, Operation>> = {
    "GET version": async () => service.version(),
    "GET newGid": async () => ({ gid: service.newGid(), dtm_result: dtmResult.success }),
    "POST prepare": async (req) => service.prepare(transFromJson(await body(req)), httpCall(req)).then(done),
    "POST submit": async (req) => service.submit(transFromJson(await body(req)), httpCall(req)).then(done),
    "POST abort": async (req) => service.abort(transFromJson(await body(req)), httpCall(req)).then(done),
    "POST registerBranch": async (req) => service.registerBranch(branchFromJson(await body(req)), "http", httpCall(req)).then(done),
    "POST forceStop": async (req) => service.forceStop(await gidOf(req)).then(done),
    "POST resetNextCronTime": async (req) => service.resetNextCronTime(await gidOf(req)).then(done),
    "GET query": async (req) => service.query(q(req, "gid"), req.principal),
    "GET all": async (req) =>
      service.all({
        gid: q(req, "gid"),
        status: q(req, "status"),
        transType: q(req, "transType"),
        createTimeStart: q(req, "createTimeStart"),
        createTimeEnd: q(req, "createTimeEnd"),
        position: q(req, "position"),
        limit: q(req, "limit"),
      }),
    "GET resetCronTime": async (req) => service.resetCronTime(q(req, "timeout"), q(req, "limit")),
    "GET subscribe": async (req) => service.subscribe(q(req, "topic"), q(req, "url"), q(req, "remark")).then(done),
    "GET unsubscribe": async (req) => service.unsubscribe(q(req, "topic"), q(req, "url")).then(done),
    "GET scanKV": async (req) => service.scanKV(q(req, "cat"), q(req, "position"), q(req, "limit")),
    "GET queryKV": async (req) => service.queryKV(q(req, "cat"), q(req, "key")),
    "POST prepareWorkflow": async (req) => dtmProgressesJson(await service.prepareWorkflow(transFromJson(await body(req)), httpCall(req))),
  };
  // Old SDKs register through these names.
  const register = operations["POST registerBranch"]!;
  const all: Record<string, Operation> = { ...operations, "POST registerXaBranch": register, "POST registerTccBranch": register };

  async function answer(req: HttpRouteRequest, op: Operation, access: Access): Promise<HttpRouteResponse> {
    try {
      if (!allows(access, req.principal)) throw permissionDenied(access === "authenticated" || access === "open" ? "read" : access[0]!);
      return { json: await op(req) };
    } catch (error) {
      const { status, json } = dtmHttpError(error);
      if (!isExpected(error)) logger.error("dtm API request failed", { path: req.path, error });
      return { status, json };
    }
  }

  return [
    {
      methods: ["GET", "HEAD", "POST", "DELETE"],
      path: dtmHttpPrefix,
      prefix: true,
      handle(req) {
        const name = req.path.slice(dtmHttpPrefix.length);
        const method = req.method === "HEAD" ? "GET" : req.method;
        if (method === "DELETE" && name.startsWith("topic/") && name.length > "topic/".length) {
          const topic = decodeURIComponent(name.slice("topic/".length));
          return answer(req, async () => service.deleteTopic(topic).then(done), ["admin"]);
        }
        const op = all[`${method} ${name}`];
        if (op) return answer(req, op, dtmHttpAccess[name] ?? ["admin"]);
        const known = Object.keys(all).filter((k) => k.endsWith(` ${name}`));
        if (known.length > 0) {
          const allowed = known.map((k) => k.split(" ")[0]!).join(", ");
          return { status: 405, headers: { allow: allowed }, json: { message: `${req.method} is not allowed on ${req.path}; use ${allowed}` } };
        }
        return { status: 404, json: { message: `no dtm API at ${req.path}`, code: "not_found" } };
      },
    },
    {
      methods: ["POST"],
      path: dtmJsonRpcPath,
      handle: (req) => serveJsonRpc(service, req, logger),
    },
  ];
}
