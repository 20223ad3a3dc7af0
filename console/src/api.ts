/**
 * The console's one way to the coordinator: a Connect client of concord.v1.AdminService on the
 * origin that served the page, and the session it calls with.
 *
 * With authentication on, every call carries `authorization: Bearer <token>`. The token lives in
 * sessionStorage, so it ends with the tab, and is never put in a URL. A call the coordinator
 * refuses (unauthenticated, or permission_denied: the token lacks the admin scope) is noted in
 * the session, and the frame shows the sign-in form or the missing scope instead of the views.
 */
import { useSyncExternalStore } from "react";
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AdminService } from "../../gen/ts/concord/v1/admin_service_pb.js";

export type AdminClient = Client<typeof AdminService>;

/** Why the views cannot be shown: no token or a refused one, or a token without the admin scope. */
export type Refusal = "unauthenticated" | "permission_denied";

export interface Session {
  /** The token calls are sent with; undefined before signing in (and always with authentication off). */
  readonly token: string | undefined;
  /** Set by the last call the coordinator refused, cleared by signing in. */
  readonly refused: Refusal | undefined;
  /** The session's token was refused (expired, or removed from the tokens file) and forgotten. */
  readonly tokenRefused: boolean;
}

const tokenKey = "concord.console.token";
let session: Session = { token: readToken(), refused: undefined, tokenRefused: false };
const listeners = new Set<() => void>();

function update(next: Session): void {
  session = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session, re-rendering the component when it changes. */
export function useSession(): Session {
  return useSyncExternalStore(subscribe, () => session);
}

/** Call with `token` from now on (it was checked by {@link checkToken}); `refused` is what it answered. */
export function signIn(token: string, refused?: Refusal): void {
  writeToken(token);
  update({ token, refused, tokenRefused: false });
}

/** Forget the token and ask for one. */
export function signOut(): void {
  writeToken(undefined);
  update({ token: undefined, refused: "unauthenticated", tokenRefused: false });
}

/**
 * Sends the session's token with every call that does not bring its own, and notes the
 * session's refusal. A call sent with an older token (signed out since) is not the session's.
 */
const sessionInterceptor: Interceptor = (next) => async (req) => {
  if (req.header.has("authorization")) return next(req);
  const sent = session.token;
  if (sent !== undefined) req.header.set("authorization", `Bearer ${sent}`);
  try {
    return await next(req);
  } catch (err) {
    const refused = refusalOf(err);
    if (refused !== undefined && sent === session.token && session.refused === undefined) {
      if (refused === "permission_denied") update({ ...session, refused });
      else {
        // A refused token is of no more use: forget it, so the form asks for another.
        writeToken(undefined);
        update({ token: undefined, refused, tokenRefused: sent !== undefined });
      }
    }
    throw err;
  }
};

export const admin: AdminClient = createClient(AdminService, createConnectTransport({ baseUrl: location.origin, interceptors: [sessionInterceptor] }));

/**
 * What the coordinator says of `token`: undefined when it may use the console, else the refusal.
 * Asks for one transaction, the cheapest admin call; other errors (unreachable) are thrown.
 */
export async function checkToken(token: string): Promise<Refusal | undefined> {
  try {
    await admin.listTransactions({ pageSize: 1 }, { headers: { authorization: `Bearer ${token}` } });
    return undefined;
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal === undefined) throw err;
    return refusal;
  }
}

/** An error as Connect names it on the wire: `invalid_argument: reason: required`. */
export function describeError(err: unknown): string {
  const e = ConnectError.from(err);
  return `${codeName(e.code)}: ${e.rawMessage}`;
}

/** True for the error of a call the console cancelled itself (a newer read replaced it). */
export function isCancelled(err: unknown): boolean {
  return ConnectError.from(err).code === Code.Canceled;
}

export function isNotFound(err: unknown): boolean {
  return ConnectError.from(err).code === Code.NotFound;
}

function refusalOf(err: unknown): Refusal | undefined {
  const code = ConnectError.from(err).code;
  return code === Code.Unauthenticated ? "unauthenticated" : code === Code.PermissionDenied ? "permission_denied" : undefined;
}

/** `Code.InvalidArgument` → `invalid_argument`. */
function codeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}

function readToken(): string | undefined {
  try {
    return sessionStorage.getItem(tokenKey) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(tokenKey);
    else sessionStorage.setItem(tokenKey, token);
  } catch {
    // Storage may be off (policy): the token then lasts until the page is reloaded.
  }
}
