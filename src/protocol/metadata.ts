/**
 * The `dtm-*` metadata that tells a branch which call it is serving (DESIGN.md §4), spelled here
 * once for the coordinator that sends it, the SDK that sends it on first-phase calls, the SDK's
 * branch helpers that read it, and the API layer that keeps user headers off it. Internal module.
 */

/** What Concord tells a branch about the call, from the `dtm-*` metadata. */
export interface BranchInfo {
  readonly gid: string;
  /** `saga`, `msg`, `tcc` or `xa`. */
  readonly transType: string;
  readonly branchId: string;
  /** `action`, `compensate`, `try`, `confirm`, `cancel`, `commit`, `rollback` or `msg` (back-check). */
  readonly op: string;
  /** The coordinator's gRPC address. */
  readonly dtm: string;
}

/** The metadata key of each {@link BranchInfo} field; dtm's names, so a dtm branch reads them too. */
export const branchMetadataKeys = {
  gid: "dtm-gid",
  transType: "dtm-trans_type",
  branchId: "dtm-branch_id",
  op: "dtm-op",
  dtm: "dtm-dtm",
} as const satisfies Record<keyof BranchInfo, string>;

/**
 * The query parameter of each {@link BranchInfo} field on an HTTP branch call (dtm's names; an
 * HTTP call does not carry the coordinator's address).
 */
export const branchQueryParameters = {
  gid: "gid",
  transType: "trans_type",
  branchId: "branch_id",
  op: "op",
} as const satisfies Record<Exclude<keyof BranchInfo, "dtm">, string>;

/** Keys with this prefix are Concord's: a user header may not set one. */
export const reservedMetadataPrefix = "dtm-";

/** The `dtm-*` metadata of a branch call. Spread it last over user headers so it always wins. */
export function branchMetadata(info: BranchInfo): Record<string, string> {
  return {
    [branchMetadataKeys.gid]: info.gid,
    [branchMetadataKeys.transType]: info.transType,
    [branchMetadataKeys.branchId]: info.branchId,
    [branchMetadataKeys.op]: info.op,
    [branchMetadataKeys.dtm]: info.dtm,
  };
}

/**
 * Read a branch call's {@link BranchInfo} through `get` (one metadata value by key, `undefined`
 * when absent; absent fields read as ""). `undefined` when there is no `dtm-gid`: then it is not
 * a Concord branch call.
 */
export function readBranchInfo(get: (key: string) => string | undefined): BranchInfo | undefined {
  const read = (key: string): string => get(key) ?? "";
  const info: BranchInfo = {
    gid: read(branchMetadataKeys.gid),
    transType: read(branchMetadataKeys.transType),
    branchId: read(branchMetadataKeys.branchId),
    op: read(branchMetadataKeys.op),
    dtm: read(branchMetadataKeys.dtm),
  };
  return info.gid === "" ? undefined : info;
}
