/**
 * Turns requests into validated, normalized domain input, or throws INVALID_ARGUMENT naming the
 * field. Nothing reaches the store before this has passed. Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { Duration } from "@bufbuild/protobuf/wkt";
import { createHash } from "node:crypto";
import type { Config } from "../config.js";
import { limits } from "../config.js";
import { isValidTarget } from "../dispatch/index.js";
import { canonicalJson } from "../canonical-json.js";
import type { Mode, RetryPolicy, StepSpec, TransactionSpec, TransOptions } from "../model.js";
import type { TransactionInput } from "../engine/index.js";
import { Mode as ProtoMode } from "../../gen/ts/concord/v1/transaction_pb.js";
import type {
  MsgSpec,
  RetryPolicy as ProtoRetryPolicy,
  SagaSpec,
  TransOptions as ProtoTransOptions,
} from "../../gen/ts/concord/v1/transaction_pb.js";

/** Defaults the options of a transaction start from. */
export type OptionDefaults = Pick<Config, "requestTimeoutMs" | "retry" | "timeoutToFailMs">;

const gidPattern = /^[A-Za-z0-9_.:-]+$/;
const headerKeyPattern = /^[0-9a-z_.-]+$/;
const headerValuePattern = /^[\x20-\x7e]*$/;
/** Metadata keys Concord or HTTP/2 own: a header may not override them. */
const reservedHeaderKeys = new Set(["content-type", "te", "user-agent", "host", "connection", "content-length", "accept-encoding"]);
/** No duration option may exceed a day: larger values are mistakes, not intentions. */
const maxDurationMs = 24 * 60 * 60 * 1000;

export function invalid(field: string, message: string): ConnectError {
  return new ConnectError(`${field}: ${message}`, Code.InvalidArgument);
}

export function validateGid(gid: string, field = "gid"): string {
  if (gid === "") throw invalid(field, "required");
  if (gid.length > limits.maxGidLength) throw invalid(field, `at most ${limits.maxGidLength} characters`);
  if (!gidPattern.test(gid)) throw invalid(field, "only letters, digits and _ . : - are allowed");
  return gid;
}

export function validateMode(mode: ProtoMode): Mode {
  switch (mode) {
    case ProtoMode.SAGA:
      return "saga";
    case ProtoMode.MSG:
      return "msg";
    case ProtoMode.TCC:
      return "tcc";
    case ProtoMode.XA:
      return "xa";
    default:
      throw invalid("mode", "required (MODE_SAGA, MODE_MSG, MODE_TCC or MODE_XA)");
  }
}

function durationMs(d: Duration | undefined, field: string): number | undefined {
  if (!d) return undefined;
  const ms = Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6);
  if (d.seconds < 0n || d.nanos < 0 || !Number.isFinite(ms)) throw invalid(field, "must not be negative");
  if (ms > maxDurationMs) throw invalid(field, "must be at most 24h");
  return ms;
}

function validateRetry(r: ProtoRetryPolicy | undefined, defaults: Config["retry"]): RetryPolicy {
  const initialIntervalMs = durationMs(r?.initialInterval, "options.retry.initial_interval") || defaults.initialIntervalMs;
  const maxIntervalMs = durationMs(r?.maxInterval, "options.retry.max_interval") || Math.max(defaults.maxIntervalMs, initialIntervalMs);
  if (maxIntervalMs < initialIntervalMs) throw invalid("options.retry.max_interval", "must be at least initial_interval");
  const m = r?.backoffMultiplier ?? 0;
  if (!Number.isFinite(m) || (m !== 0 && m < 1) || m > 100) throw invalid("options.retry.backoff_multiplier", "must be between 1 and 100");
  return { initialIntervalMs, maxIntervalMs, backoffMultiplier: m || defaults.backoffMultiplier, maxAttempts: r?.maxAttempts ?? defaults.maxAttempts };
}

export function validateHeaders(headers: Record<string, string>, field: string): Record<string, string> {
  const entries = Object.entries(headers);
  if (entries.length > limits.maxHeaderEntries) throw invalid(field, `at most ${limits.maxHeaderEntries} entries`);
  let bytes = 0;
  for (const [k, v] of entries) {
    if (!headerKeyPattern.test(k)) throw invalid(`${field}["${k}"]`, "keys are lowercase letters, digits and _ . -");
    if (k.startsWith("grpc-") || k.startsWith("dtm-") || k.endsWith("-bin") || reservedHeaderKeys.has(k)) {
      throw invalid(`${field}["${k}"]`, "reserved metadata key");
    }
    if (!headerValuePattern.test(v)) throw invalid(`${field}["${k}"]`, "values are printable ASCII");
    bytes += k.length + v.length;
  }
  if (bytes > limits.maxHeadersBytes) throw invalid(field, `at most ${limits.maxHeadersBytes} bytes of keys and values`);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function validateTarget(target: string, field: string): string {
  if (!isValidTarget(target)) throw invalid(field, `"${target.slice(0, 200)}" is not host:port/package.Service/Method`);
  return target;
}

export function validatePayload(payload: Uint8Array, field: string): Uint8Array {
  if (payload.byteLength > limits.maxPayloadBytes) throw invalid(field, `at most ${limits.maxPayloadBytes} bytes`);
  return payload;
}

export function validateOptions(o: ProtoTransOptions | undefined, mode: Mode, defaults: OptionDefaults): TransOptions {
  const timeout = durationMs(o?.timeoutToFail, "options.timeout_to_fail");
  return {
    waitResult: o?.waitResult ?? false,
    // A saga has no timeout unless asked; a prepared transaction always has one (0 = the
    // default), or a client that vanished would leave it, and its locks, forever.
    timeoutToFailMs: mode === "saga" ? (timeout ?? 0) : timeout || defaults.timeoutToFailMs,
    requestTimeoutMs: durationMs(o?.requestTimeout, "options.request_timeout") || defaults.requestTimeoutMs,
    retry: validateRetry(o?.retry, defaults.retry),
    branchHeaders: validateHeaders(o?.branchHeaders ?? {}, "options.branch_headers"),
  };
}

function validateStepCount(n: number, field: string): void {
  if (n === 0) throw invalid(field, "at least one step is required");
  if (n > limits.maxSteps) throw invalid(field, `at most ${limits.maxSteps} steps`);
}

function branchIdOf(index: number): string {
  return String(index + 1).padStart(2, "0");
}

export function validateSaga(saga: SagaSpec): { spec: TransactionSpec; payloads: Uint8Array[] } {
  validateStepCount(saga.steps.length, "saga.steps");
  const steps: StepSpec[] = saga.steps.map((s, i) => {
    const f = `saga.steps[${i}]`;
    const after = [...new Set(s.after)].sort((a, b) => a - b);
    for (const a of after) if (a >= i) throw invalid(`${f}.after`, `${a} points ${a === i ? "at the step itself" : "forward"}; a step can only wait for earlier steps`);
    return {
      branchId: branchIdOf(i),
      action: validateTarget(s.action, `${f}.action`),
      compensate: validateTarget(s.compensate, `${f}.compensate`),
      after,
      headers: validateHeaders(s.headers, `${f}.headers`),
      requestTimeoutMs: durationMs(s.requestTimeout, `${f}.request_timeout`) ?? 0,
    };
  });
  const payloads = saga.steps.map((s, i) => validatePayload(s.payload, `saga.steps[${i}].payload`));
  return { spec: { steps, concurrent: saga.concurrent, queryPrepared: "" }, payloads };
}

export function validateMsg(msg: MsgSpec, requireQueryPrepared: boolean): { spec: TransactionSpec; payloads: Uint8Array[] } {
  validateStepCount(msg.steps.length, "msg.steps");
  if (requireQueryPrepared && msg.queryPrepared === "") throw invalid("msg.query_prepared", "required to prepare a message");
  const steps: StepSpec[] = msg.steps.map((s, i) => {
    const f = `msg.steps[${i}]`;
    return {
      branchId: branchIdOf(i),
      action: validateTarget(s.action, `${f}.action`),
      compensate: "",
      after: [],
      headers: validateHeaders(s.headers, `${f}.headers`),
      requestTimeoutMs: durationMs(s.requestTimeout, `${f}.request_timeout`) ?? 0,
    };
  });
  const payloads = msg.steps.map((s, i) => validatePayload(s.payload, `msg.steps[${i}].payload`));
  return { spec: { steps, concurrent: msg.concurrent, queryPrepared: validateTarget(msg.queryPrepared, "msg.query_prepared") }, payloads };
}

export function validateCustomData(customData: string): string {
  if (Buffer.byteLength(customData) > limits.maxCustomDataBytes) throw invalid("custom_data", `at most ${limits.maxCustomDataBytes} bytes`);
  return customData;
}

/** Hash of what makes two requests "the same": everything but wait_result. */
export function contentHash(input: Omit<TransactionInput, "requestHash">): string {
  const { waitResult: _ignored, ...options } = input.options;
  const canonical = canonicalJson({
    mode: input.mode,
    spec: input.spec ?? null,
    payloads: input.payloads.map((p) => Buffer.from(p).toString("base64")),
    options,
    customData: input.customData,
  });
  return createHash("sha256").update(canonical).digest("base64url");
}
