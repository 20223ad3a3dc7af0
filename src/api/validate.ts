/**
 * Turns requests into validated, normalized domain input, or throws INVALID_ARGUMENT naming the
 * field. Nothing reaches the store before this has passed. Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { Duration } from "@bufbuild/protobuf/wkt";
import { createHash } from "node:crypto";
import type { Config } from "../config.js";
import { limits } from "../config.js";
import { isValidTarget, parseTarget, reservedMetadataPrefix } from "../protocol/index.js";
import { canonicalJson } from "../canonical-json.js";
import type { Mode, RetryPolicy, StepSpec, TransactionSpec, TransOptions } from "../model.js";
import type { BodyRule, TransactionInput } from "../engine/index.js";
import { topicOfTarget } from "../engine/index.js";
import { Mode as ProtoMode, TransactionView } from "../../gen/ts/concord/v1/transaction_pb.js";
import type {
  MsgSpec,
  RetryPolicy as ProtoRetryPolicy,
  SagaSpec,
  TransOptions as ProtoTransOptions,
} from "../../gen/ts/concord/v1/transaction_pb.js";

/** Defaults the options of a transaction start from. */
export type OptionDefaults = Pick<Config, "requestTimeoutMs" | "retry" | "timeoutToFailMs">;

const gidPattern = /^[A-Za-z0-9_.:-]+$/;
const topicPattern = /^[A-Za-z0-9_.:-]{1,128}$/;
const headerKeyPattern = /^[0-9a-z_.-]+$/;
const headerValuePattern = /^[\x20-\x7e]*$/;
/**
 * Metadata keys Concord or HTTP own: a header may not override them. The connection-specific ones
 * (RFC 9113 §8.2.2) are refused by HTTP/2 and by undici before anything is sent, so a branch
 * whose headers held one could never be called and would be retried for ever.
 */
const reservedHeaderKeys = new Set([
  "content-type",
  "te",
  "user-agent",
  "host",
  "connection",
  "content-length",
  "accept-encoding",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "expect",
  "http2-settings",
]);
/** No duration option may exceed a day: larger values are mistakes, not intentions. */
const maxDurationMs = 24 * 60 * 60 * 1000;

export function invalid(field: string, message: string): ConnectError {
  return new ConnectError(`${field}: ${message}`, Code.InvalidArgument);
}

/** `sub` under `field` (`options.retry`), or `sub` alone when `field` is empty (dtm's flat bodies). */
function at(field: string, sub: string): string {
  return field === "" ? sub : `${field}.${sub}`;
}

export function validateTopicName(name: string, field: string): string {
  if (name === "") throw invalid(field, "required");
  if (!topicPattern.test(name)) throw invalid(field, "a topic name is 1 to 128 characters of letters, digits and _ . : -");
  return name;
}

export function validateGid(gid: string, field = "gid"): string {
  if (gid === "") throw invalid(field, "required");
  if (gid.length > limits.maxGidLength) throw invalid(field, `at most ${limits.maxGidLength} characters`);
  if (!gidPattern.test(gid)) throw invalid(field, "only letters, digits and _ . : - are allowed");
  return gid;
}

const modes: Partial<Record<ProtoMode, Mode>> = {
  [ProtoMode.SAGA]: "saga",
  [ProtoMode.MSG]: "msg",
  [ProtoMode.TCC]: "tcc",
  [ProtoMode.XA]: "xa",
  [ProtoMode.WORKFLOW]: "workflow",
};
const modeNames = "MODE_SAGA, MODE_MSG, MODE_TCC, MODE_XA or MODE_WORKFLOW";

export function validateMode(mode: ProtoMode): Mode {
  const known = modes[mode];
  if (known) return known;
  // Binary clients can send any number: one this server does not know is not a missing mode.
  if (mode === ProtoMode.UNSPECIFIED) throw invalid("mode", `required (${modeNames})`);
  throw invalid("mode", `unknown value ${mode} (${modeNames})`);
}

/** Which view of the transaction an answer carries; a number this server does not know is refused. */
export function validateView(view: TransactionView): TransactionView {
  if (view === TransactionView.UNSPECIFIED || view === TransactionView.FULL || view === TransactionView.BASIC) return view;
  throw invalid("view", `unknown value ${view} (TRANSACTION_VIEW_FULL, TRANSACTION_VIEW_BASIC)`);
}

/**
 * A duration option in whole ms; undefined when unset (the default applies). A duration that is
 * set is never swapped for the default: it is at least 1 ms, at most 24 h, and 0 only where
 * `zero` says what 0 means.
 */
function durationMs(d: Duration | undefined, field: string, zero: "invalid" | "allowed" = "invalid"): number | undefined {
  if (!d) return undefined;
  if (d.seconds < 0n || d.nanos < 0) throw invalid(field, "must not be negative");
  const ms = Number(d.seconds) * 1000 + d.nanos / 1e6;
  if (ms === 0) {
    if (zero === "allowed") return 0;
    throw invalid(field, "must be more than 0 (leave it unset for the default)");
  }
  if (ms < 1) throw invalid(field, "must be at least 1ms");
  if (ms > maxDurationMs) throw invalid(field, "must be at most 24h");
  return Math.floor(ms);
}

function validateRetry(r: ProtoRetryPolicy | undefined, defaults: Config["retry"], field: string): RetryPolicy {
  const initialIntervalMs = durationMs(r?.initialInterval, at(field, "initial_interval")) ?? defaults.initialIntervalMs;
  const maxIntervalMs = durationMs(r?.maxInterval, at(field, "max_interval")) ?? Math.max(defaults.maxIntervalMs, initialIntervalMs);
  if (maxIntervalMs < initialIntervalMs) throw invalid(at(field, "max_interval"), "must be at least initial_interval");
  const m = r?.backoffMultiplier ?? 0;
  if (!Number.isFinite(m) || (m !== 0 && m < 1) || m > 100) throw invalid(at(field, "backoff_multiplier"), "must be between 1 and 100");
  return { initialIntervalMs, maxIntervalMs, backoffMultiplier: m || defaults.backoffMultiplier, maxAttempts: r?.maxAttempts ?? defaults.maxAttempts };
}

export function validateHeaders(headers: Record<string, string>, field: string): Record<string, string> {
  const entries = Object.entries(headers);
  if (entries.length > limits.maxHeaderEntries) throw invalid(field, `at most ${limits.maxHeaderEntries} entries`);
  let bytes = 0;
  for (const [k, v] of entries) {
    if (!headerKeyPattern.test(k)) throw invalid(`${field}["${k}"]`, "keys are lowercase letters, digits and _ . -");
    if (k.startsWith("grpc-") || k.startsWith(reservedMetadataPrefix) || k.endsWith("-bin") || reservedHeaderKeys.has(k)) {
      throw invalid(`${field}["${k}"]`, "reserved metadata key");
    }
    if (!headerValuePattern.test(v)) throw invalid(`${field}["${k}"]`, "values are printable ASCII");
    bytes += k.length + v.length;
  }
  if (bytes > limits.maxHeadersBytes) throw invalid(field, `at most ${limits.maxHeadersBytes} bytes of keys and values`);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function validateTarget(target: string, field: string): string {
  if (!isValidTarget(target)) {
    // A URL refused for its credentials must not hand them back (answers end up in client logs).
    const shown = target.slice(0, 200).replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@");
    throw invalid(field, `"${shown}" is neither host:port/package.Service/Method nor an http(s) URL with a host and no credentials`);
  }
  return target;
}

export function validatePayload(payload: Uint8Array, field: string): Uint8Array {
  if (payload.byteLength > limits.maxPayloadBytes) throw invalid(field, `at most ${limits.maxPayloadBytes} bytes`);
  return payload;
}

/**
 * The options with every default applied. `prepared`: the mode can be prepared, so it always
 * times out (unset = the default); otherwise no timeout is the default and an explicit 0 says so.
 */
export function validateOptions(o: ProtoTransOptions | undefined, prepared: boolean, defaults: OptionDefaults, field = "options"): TransOptions {
  const timeout = durationMs(o?.timeoutToFail, at(field, "timeout_to_fail"), prepared ? "invalid" : "allowed");
  return {
    waitResult: o?.waitResult ?? false,
    timeoutToFailMs: timeout ?? (prepared ? defaults.timeoutToFailMs : 0),
    requestTimeoutMs: durationMs(o?.requestTimeout, at(field, "request_timeout")) ?? defaults.requestTimeoutMs,
    retry: validateRetry(o?.retry, defaults.retry, at(field, "retry")),
    branchHeaders: validateHeaders(o?.branchHeaders ?? {}, at(field, "branch_headers")),
  };
}

function validateStepCount(n: number, field: string): void {
  if (n === 0) throw invalid(field, "at least one step is required");
  if (n > limits.maxSteps) throw invalid(field, `at most ${limits.maxSteps} steps`);
}

function branchIdOf(index: number): string {
  return String(index + 1).padStart(2, "0");
}

/** One of a request's body cases, as the generated oneof carries it. */
export type RequestBody = { case: "saga"; value: SagaSpec } | { case: "msg"; value: MsgSpec } | { case: undefined; value?: undefined };

/**
 * The validated body of a request under `rule` (the mode's rule for this request), or undefined
 * when it has none. `how.preparing`: the request is a Prepare (else a Submit).
 */
export function validateBody(
  body: RequestBody,
  rule: BodyRule,
  mode: Mode,
  how: { readonly preparing: boolean },
): { spec: TransactionSpec; payloads: Uint8Array[] } | undefined {
  // An optional body of the mode's kind without steps is no body (a Submit of a prepared message).
  if (body.case === undefined || (body.case === rule.kind && !rule.required && body.value.steps.length === 0)) {
    if (rule.required && rule.kind) throw invalid(rule.kind, how.preparing ? `required to prepare a ${mode}` : `required for a ${mode}`);
    return undefined;
  }
  if (body.case !== rule.kind) throw invalid(body.case, `not allowed for a ${mode}`);
  return body.case === "saga" ? validateSaga(body.value) : validateMsg(body.value, how.preparing);
}

export function validateSaga(saga: SagaSpec, field = "saga"): { spec: TransactionSpec; payloads: Uint8Array[] } {
  validateStepCount(saga.steps.length, at(field, "steps"));
  const steps: StepSpec[] = saga.steps.map((s, i) => {
    const f = `${at(field, "steps")}[${i}]`;
    const after = [...new Set(s.after)].sort((a, b) => a - b);
    for (const a of after) if (a >= i) throw invalid(`${f}.after`, `${a} points ${a === i ? "at the step itself" : "forward"}; a step can only wait for earlier steps`);
    return {
      branchId: branchIdOf(i),
      action: validateTarget(s.action, `${f}.action`),
      compensate: validateTarget(s.compensate, `${f}.compensate`),
      after,
      headers: validateHeaders(s.headers, `${f}.headers`),
      // 0 = the transaction's request timeout.
      requestTimeoutMs: durationMs(s.requestTimeout, `${f}.request_timeout`) ?? 0,
    };
  });
  const payloads = saga.steps.map((s, i) => validateStepPayload(s.payload, [steps[i]!.action, steps[i]!.compensate], `${at(field, "steps")}[${i}].payload`));
  return { spec: { steps, concurrent: saga.concurrent, queryPrepared: "" }, payloads };
}

export function validateMsg(msg: MsgSpec, requireQueryPrepared: boolean, field = "msg"): { spec: TransactionSpec; payloads: Uint8Array[] } {
  validateStepCount(msg.steps.length, at(field, "steps"));
  if (requireQueryPrepared && msg.queryPrepared === "") throw invalid(at(field, "query_prepared"), "required to prepare a message");
  const steps: StepSpec[] = msg.steps.map((s, i) => {
    const f = `${at(field, "steps")}[${i}]`;
    const topic = topicOfTarget(s.action);
    if (topic !== undefined) validateTopicName(topic, `${f}.action`);
    return {
      branchId: branchIdOf(i),
      action: topic === undefined ? validateTarget(s.action, `${f}.action`) : s.action,
      compensate: "",
      after: [],
      headers: validateHeaders(s.headers, `${f}.headers`),
      requestTimeoutMs: durationMs(s.requestTimeout, `${f}.request_timeout`) ?? 0,
    };
  });
  const payloads = msg.steps.map((s, i) => validateStepPayload(s.payload, [steps[i]!.action], `${at(field, "steps")}[${i}].payload`));
  const delayMs = durationMs(msg.delay, at(field, "delay"));
  return {
    spec: {
      steps,
      concurrent: msg.concurrent,
      queryPrepared: validateTarget(msg.queryPrepared, at(field, "query_prepared")),
      ...(delayMs === undefined ? {} : { delayMs }),
    },
    payloads,
  };
}

/** A step's payload: within the size limit, and a JSON object (or empty) when a target of the step is JSON-RPC. */
function validateStepPayload(payload: Uint8Array, targets: readonly string[], field: string): Uint8Array {
  validatePayload(payload, field);
  if (payload.byteLength > 0 && targets.some((t) => parseTarget(t)?.scheme === "jsonrpc")) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      value = undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(field, "a JSON-RPC target takes a JSON object");
  }
  return payload;
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
