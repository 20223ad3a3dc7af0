/**
 * Where the console is, all in the URL so a view can be shared and survives a reload: the
 * list's filters and page in the query string, a transaction's detail as `#/tx/<gid>`. The
 * page tokens already passed (for "Previous") ride in the history entry's state.
 */
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { TransactionFilterSchema } from "../../gen/ts/concord/v1/admin_service_pb.js";
import type { Mode, TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import { modeFromName, modeName, statusFromName, statusName } from "./format.js";

/** The list's filters and page, as the query string holds them. */
export interface ListQuery {
  readonly statuses: readonly TransactionStatus[];
  readonly modes: readonly Mode[];
  readonly gidPrefix: string;
  readonly targetContains: string;
  /** Stuck: unfinished and created longer ago than this many minutes… */
  readonly stuckMinutes?: number | undefined;
  /** …or with at least this many runs. */
  readonly stuckAttempts?: number | undefined;
  /** ISO 8601. */
  readonly createdAfter: string;
  readonly createdBefore: string;
  /** The page token of the page shown; "" for the first page. */
  readonly page: string;
  /** Rows per page; unset: `defaultPageSize`. */
  readonly pageSize?: number | undefined;
}

export const defaultPageSize = 50;
/** The API's limit. */
export const maxPageSize = 1000;

export type Route = { readonly view: "list"; readonly query: ListQuery; readonly previous: readonly string[] } | { readonly view: "tx"; readonly gid: string };

/** What a history entry carries besides its URL. */
interface HistoryState {
  readonly previous?: readonly string[];
}

export const emptyQuery: ListQuery = { statuses: [], modes: [], gidPrefix: "", targetContains: "", createdAfter: "", createdBefore: "", page: "" };

export function currentRoute(): Route {
  const detail = /^#\/tx\/(.+)$/.exec(location.hash);
  if (detail?.[1]) return { view: "tx", gid: safeDecode(detail[1]) };
  const state = (history.state ?? {}) as HistoryState;
  return { view: "list", query: parseQuery(new URLSearchParams(location.search)), previous: Array.isArray(state.previous) ? state.previous : [] };
}

/** The list's URL for `query` (no hash: the list view). */
export function listUrl(query: ListQuery): string {
  const search = queryParams(query).toString();
  return `${location.pathname}${search ? `?${search}` : ""}`;
}

export function detailHref(gid: string): string {
  return `#/tx/${encodeURIComponent(gid)}`;
}

/** Fired on `window` when the console changed the URL itself (pushState fires no event). */
export const navigateEvent = "concord:navigate";

/** Go to the list for `query`, as a new history entry; `previous` are the page tokens before its page. */
export function pushList(query: ListQuery, previous: readonly string[]): void {
  const state: HistoryState = { previous };
  history.pushState(state, "", listUrl(query));
  window.dispatchEvent(new Event(navigateEvent));
}

export function parseQuery(params: URLSearchParams): ListQuery {
  const known = <T,>(values: string[], of: (name: string) => T | undefined) => values.map(of).filter((v): v is T => v !== undefined);
  return {
    statuses: known(params.getAll("status"), statusFromName),
    modes: known(params.getAll("mode"), modeFromName),
    gidPrefix: params.get("gidPrefix") ?? "",
    targetContains: params.get("target") ?? "",
    stuckMinutes: count(params.get("stuckMinutes")),
    stuckAttempts: count(params.get("stuckAttempts")),
    createdAfter: isoOrEmpty(params.get("createdAfter")),
    createdBefore: isoOrEmpty(params.get("createdBefore")),
    page: params.get("page") ?? "",
    pageSize: pageSizeOf(count(params.get("size"))),
  };
}

export function queryParams(q: ListQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const s of q.statuses) p.append("status", statusName(s));
  for (const m of q.modes) p.append("mode", modeName(m));
  if (q.gidPrefix) p.set("gidPrefix", q.gidPrefix);
  if (q.targetContains) p.set("target", q.targetContains);
  if (q.stuckMinutes !== undefined) p.set("stuckMinutes", String(q.stuckMinutes));
  if (q.stuckAttempts !== undefined) p.set("stuckAttempts", String(q.stuckAttempts));
  if (q.createdAfter) p.set("createdAfter", q.createdAfter);
  if (q.createdBefore) p.set("createdBefore", q.createdBefore);
  if (q.page) p.set("page", q.page);
  if (q.pageSize !== undefined && q.pageSize !== defaultPageSize) p.set("size", String(q.pageSize));
  return p;
}

/** The request's filter; unset fields are no condition. */
export function filterOf(q: ListQuery): MessageInitShape<typeof TransactionFilterSchema> {
  return {
    statuses: [...q.statuses],
    modes: [...q.modes],
    gidPrefix: q.gidPrefix,
    targetContains: q.targetContains,
    ...(q.stuckMinutes !== undefined ? { stuckOlderThan: durationFromMs(Math.max(1, q.stuckMinutes * 60_000)) } : {}),
    stuckMinAttempts: q.stuckAttempts ?? 0,
    ...(q.createdAfter ? { createdAfter: timestampFromDate(new Date(q.createdAfter)) } : {}),
    ...(q.createdBefore ? { createdBefore: timestampFromDate(new Date(q.createdBefore)) } : {}),
  };
}

function pageSizeOf(n: number | undefined): number | undefined {
  return n === undefined || n < 1 ? undefined : Math.min(n, maxPageSize);
}

function count(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function isoOrEmpty(text: string | null): string {
  if (!text) return "";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
