/**
 * What each RPC needs, checked before its handler runs. Internal module.
 *
 * The table below is the whole RPC policy: an RPC it does not list is refused (fail closed), and
 * a test checks that every method the coordinator serves is listed. What depends on the
 * transaction itself (reading or driving one another caller created) is checked by the handler,
 * with {@link mayRead} and {@link mayDrive}.
 */
import { Code, ConnectError, createContextKey, type ContextValues, type Interceptor } from "@connectrpc/connect";
import { hasScope, openAccess, permissionDenied, type Principal, type Scope } from "./principal.js";

/** `open`: no credentials needed; `authenticated`: any caller who proved who it is; else any one of the scopes. */
export type Access = "open" | "authenticated" | readonly Scope[];

const admin = ["admin"] as const;
const submit = ["submit"] as const;
const read = ["read"] as const;
/** Reading a transaction: `read` reads any, `submit` its own (the handler checks which). */
const readOwn = ["read", "submit"] as const;

/** Every RPC the coordinator serves, by `package.Service/Method`. */
export const rpcAccess: Readonly<Record<string, Access>> = {
  "concord.v1.CoordinatorService/NewGid": submit,
  "concord.v1.CoordinatorService/Submit": submit,
  "concord.v1.CoordinatorService/Prepare": submit,
  "concord.v1.CoordinatorService/Abort": submit,
  "concord.v1.CoordinatorService/RegisterBranch": submit,
  "concord.v1.CoordinatorService/GetTransaction": readOwn,
  // Recording or finishing a workflow another caller created is refused by the handler (mayDrive).
  "concord.v1.WorkflowService/PrepareWorkflow": submit,
  "concord.v1.WorkflowService/RecordStep": submit,
  "concord.v1.WorkflowService/FinishWorkflow": submit,
  "concord.v1.TopicService/Subscribe": admin,
  "concord.v1.TopicService/Unsubscribe": admin,
  "concord.v1.TopicService/DeleteTopic": admin,
  "concord.v1.TopicService/GetTopic": read,
  "concord.v1.TopicService/ListTopics": read,
  "concord.v1.AdminService/ListTransactions": admin,
  "concord.v1.AdminService/InspectTransaction": admin,
  "concord.v1.AdminService/RetryNow": admin,
  "concord.v1.AdminService/RetryAllNow": admin,
  "concord.v1.AdminService/ForceStop": admin,
  "concord.v1.AdminService/CountTransactions": admin,
  "concord.v1.AdminService/GetOverview": admin,
  "concord.v1.AdminService/SetLogLevel": admin,
  "dtmgimp.Dtm/NewGid": submit,
  "dtmgimp.Dtm/Submit": submit,
  "dtmgimp.Dtm/Prepare": submit,
  "dtmgimp.Dtm/Abort": submit,
  "dtmgimp.Dtm/RegisterBranch": submit,
  "dtmgimp.Dtm/PrepareWorkflow": submit,
  "dtmgimp.Dtm/Subscribe": admin,
  "dtmgimp.Dtm/Unsubscribe": admin,
  "dtmgimp.Dtm/DeleteTopic": admin,
  "grpc.health.v1.Health/Check": "open",
  "grpc.health.v1.Health/Watch": "open",
  "grpc.health.v1.Health/List": "open",
  "grpc.reflection.v1.ServerReflection/ServerReflectionInfo": "authenticated",
  "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": "authenticated",
};

/** The access an RPC path (`/package.Service/Method`) needs; undefined for one the table does not list. */
export function accessOfRpc(requestPath: string): Access | undefined {
  return rpcAccess[requestPath.slice(1)];
}

/** Who the request handler found the caller to be, or that it was refused (UNAUTHENTICATED). */
export type Caller = { readonly principal: Principal } | { readonly refused: true };

/** Set by the request handler for every RPC; the default (no handler ran) is open access. */
export const callerKey = createContextKey<Caller>({ principal: openAccess }, { description: "the authenticated caller" });

/** The caller of an RPC, as authenticated by the request handler. */
export function principalOf(values: ContextValues): Principal {
  const caller = values.get(callerKey);
  if ("refused" in caller) throw unauthenticated();
  return caller.principal;
}

/** What a caller without valid credentials is told: nothing about why. */
export function unauthenticated(): ConnectError {
  return new ConnectError("unauthenticated", Code.Unauthenticated);
}

/** Whether `principal` may call an RPC needing `access`. */
export function allows(access: Access, principal: Principal): boolean {
  if (access === "open" || access === "authenticated") return true;
  return access.some((scope) => hasScope(principal, scope));
}

/**
 * Refuse, before the handler runs, an RPC whose caller was refused (UNAUTHENTICATED), that the
 * table does not list, or whose caller lacks its scope (PERMISSION_DENIED).
 */
export function createAccessInterceptor(): Interceptor {
  return (next) => async (req) => {
    const path = `${req.service.typeName}/${req.method.name}`;
    const access = rpcAccess[path];
    if (access === "open") return next(req);
    const principal = principalOf(req.contextValues);
    if (access === undefined) throw new ConnectError("permission denied", Code.PermissionDenied);
    if (!allows(access, principal)) throw permissionDenied(access === "authenticated" ? "read" : access[0]!);
    return next(req);
  };
}
