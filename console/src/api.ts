/**
 * The console's one way to the coordinator: a Connect client of concord.v1.AdminService on the
 * origin that served the page.
 */
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AdminService } from "../../gen/ts/concord/v1/admin_service_pb.js";

export type AdminClient = Client<typeof AdminService>;

export const admin: AdminClient = createClient(AdminService, createConnectTransport({ baseUrl: location.origin }));

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

/** `Code.InvalidArgument` → `invalid_argument`. */
function codeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}
