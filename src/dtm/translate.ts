/**
 * dtm's requests → the engine's inputs, with dtm's semantics expressed as Concord options
 * (dtm-compat.md §5): the same gid is the same transaction; retries start at `retry_interval`
 * (or the server's dtm default, 10 s) and double; `retry_limit` is spent within one run; a saga's
 * `custom_data` carries `concurrent` and `orders`, a msg's its `delay`; JSON-RPC transactions call
 * URLs that name a `method` with dtm's JSON-RPC protocol. Validation is concord.v1's, under dtm's
 * field names. Internal module.
 */
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { MsgSpecSchema, SagaSpecSchema, TransOptionsSchema } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { Mode, TransOptions } from "../model.js";
import type { BranchRegistration, FinishInput, RegisterInput, StepInput, TransactionInput, WorkflowInput } from "../engine/index.js";
import { canBePrepared, modeEngines } from "../engine/index.js";
import { jsonRpcTargetPrefix } from "../protocol/index.js";
import type { OptionDefaults } from "../api/index.js";
import { contentHash, invalid, validateCustomData, validateGid, validateMsg, validateOptions, validatePayload, validateSaga, validateTarget } from "../api/index.js";
import { validateResumeTarget, validateRollbackReason, validateStepId, validateWorkflowName } from "../api/index.js";
import type { DtmBranch, DtmProtocol, DtmTrans } from "./wire.js";
import { dtmStoredStepOp } from "./view.js";

/** What translation needs of the configuration. */
export type DtmDefaults = OptionDefaults & {
  /** First retry delay of a transaction without its own `retry_interval`, ms. */
  readonly dtmRetryIntervalMs: number;
};

/** dtm's interval doubles without a cap; one hour is where Concord stops doubling. */
const maxRetryIntervalMs = 60 * 60 * 1000;
/** A `retry_limit` larger than this is a mistake: each retry is a branch call within one run. */
const maxRetryLimit = 1000;

const modes: Readonly<Record<string, Mode>> = { saga: "saga", msg: "msg", tcc: "tcc", xa: "xa", workflow: "workflow" };

/** The mode a dtm `trans_type` names. */
export function modeOf(transType: string, field = "trans_type"): Mode {
  const mode = modes[transType];
  if (mode) return mode;
  if (transType === "") throw invalid(field, "required (saga, msg, tcc, xa or workflow)");
  throw invalid(field, `unknown "${transType}"; expected saga, msg, tcc, xa or workflow`);
}

/**
 * A dtm prepareWorkflow as a WorkflowInput. `custom_data` is `{"name", "data"}` (data: the input,
 * base64), `query_prepared` the resume target. A gRPC resume target (`workflow.Workflow/Execute`)
 * takes the input wrapped in a WorkflowData message, so it is stored wrapped: the engine sends
 * the stored input as it is, whatever the protocol.
 */
export function workflowInput(trans: DtmTrans, defaults: DtmDefaults): WorkflowInput {
  const gid = validateGid(trans.gid);
  if (modeOf(trans.transType) !== "workflow") throw invalid("trans_type", "prepareWorkflow takes workflow");
  const customData = validateCustomData(trans.customData);
  const { name, data } = workflowCustom(customData);
  const resumeTarget = validateResumeTarget(target(trans.queryPrepared, "query_prepared", trans.protocol), "query_prepared");
  const input = validatePayload(trans.protocol === "grpc" ? workflowData(data) : data, "custom_data.data");
  return { gid, workflow: { name, resumeTarget }, input, options: optionsOf(trans, true, defaults), customData };
}

/** A dtm workflow submit (its `req_extra`) as a FinishInput. */
export function finishInput(trans: DtmTrans): FinishInput {
  const gid = validateGid(trans.gid);
  const status = stepStatus(trans.reqExtra.status ?? "", "req_extra.status");
  const result = base64(trans.reqExtra.result ?? "", "req_extra.result");
  return { gid, status, result: validatePayload(result, "req_extra.result"), rollbackReason: validateRollbackReason(trans.reqExtra.rollback_reason ?? "", "req_extra.rollback_reason") };
}

/** A dtm workflow registerBranch (`op`, `status`; the payload is the step's result) as a StepInput. */
export function stepInput(branch: DtmBranch): StepInput {
  const gid = validateGid(branch.gid);
  const branchId = validateStepId(branch.branchId, "branch_id");
  const op = dtmStoredStepOp(branch.data.op ?? "");
  if (op === undefined) throw invalid("op", `"${branch.data.op ?? ""}"; expected action, commit, rollback, confirm, cancel or business`);
  const status = stepStatus(branch.data.status ?? "", "status");
  return { gid, branchId, op, status, result: validatePayload(branch.payload, "data") };
}

function stepStatus(text: string, field: string): "succeeded" | "failed" {
  if (text === "succeed") return "succeeded";
  if (text === "failed") return "failed";
  throw invalid(field, `"${text}"; expected succeed or failed`);
}

/** Standard base64 (Go's encoding of []byte in JSON), strictly. */
function base64(text: string, field: string): Uint8Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) throw invalid(field, "expected standard base64");
  return new Uint8Array(bytes);
}

/** What a workflow's custom_data holds: its name and its input. */
function workflowCustom(customData: string): { name: string; data: Uint8Array } {
  let value: unknown;
  try {
    value = JSON.parse(customData);
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("custom_data", 'a workflow\'s custom_data is {"name": …, "data": <base64>}');
  const o = value as Record<string, unknown>;
  const name = validateWorkflowName(typeof o.name === "string" ? o.name : "", "custom_data.name");
  if (o.data !== undefined && o.data !== null && typeof o.data !== "string") throw invalid("custom_data.data", "expected base64");
  return { name, data: base64(typeof o.data === "string" ? o.data : "", "custom_data.data") };
}

/** `WorkflowData{bytes Data = 1}` as protobuf: what dtm's `workflow.Workflow/Execute` takes. */
export function workflowData(data: Uint8Array): Uint8Array {
  if (data.byteLength === 0) return new Uint8Array(0);
  const length: number[] = [];
  for (let n = data.byteLength; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  const out = new Uint8Array(1 + length.length + data.byteLength);
  out[0] = 0x0a; // field 1, length-delimited
  out.set(length, 1);
  out.set(data, 1 + length.length);
  return out;
}

/**
 * A dtm Submit or Prepare as the engine's input. `preparing`: a Prepare (a msg then needs its
 * steps and query_prepared). Body-less requests (a Submit of a prepared transaction, tcc, xa)
 * carry no spec.
 */
export function transactionInput(trans: DtmTrans, defaults: DtmDefaults, how: { readonly preparing: boolean }): TransactionInput {
  const gid = validateGid(trans.gid);
  const mode = modeOf(trans.transType);
  if (mode === "workflow") throw invalid("trans_type", "a workflow is stored with prepareWorkflow and ended with submit (req_extra)");
  const engine = modeEngines[mode];
  const customData = validateCustomData(trans.customData);
  const custom = mode === "saga" || mode === "msg" ? customFields(customData) : {};
  const options = optionsOf(trans, canBePrepared(engine), defaults);
  let body: ReturnType<typeof validateSaga> | undefined;
  if (trans.steps.length > 0 || (mode === "msg" && how.preparing)) {
    if (mode !== "saga" && mode !== "msg") throw invalid("steps", `not allowed for a ${mode}`);
    if (trans.payloads.length !== 0 && trans.payloads.length !== trans.steps.length) {
      throw invalid("payloads", `${trans.payloads.length} given for ${trans.steps.length} steps; give one per step`);
    }
    body = mode === "saga" ? sagaBody(trans, custom) : msgBody(trans, custom, how.preparing);
  } else if (mode === "saga") {
    throw invalid("steps", "at least one step is required");
  }
  const input = { gid, mode, options, spec: body?.spec, payloads: body?.payloads ?? [], customData, sameTransaction: "gid" as const };
  return { ...input, requestHash: contentHash(input) };
}

/** A dtm abort's gid and reason (stored verbatim: dtm's clients put their error there). */
export function abortInput(trans: DtmTrans): { gid: string; reason: string; waitResult: boolean } {
  if (trans.transType !== "") modeOf(trans.transType);
  return { gid: validateGid(trans.gid), reason: trans.rollbackReason, waitResult: trans.waitResult };
}

/** A dtm registerBranch: tcc carries confirm and cancel, xa its one url. */
export function registerInput(branch: DtmBranch, protocol: DtmProtocol): RegisterInput {
  const gid = validateGid(branch.gid);
  const mode = modeOf(branch.transType);
  const branchId = validateGid(branch.branchId, "branch_id");
  const payload = validatePayload(branch.payload, "data");
  let registration: BranchRegistration;
  if (mode === "tcc") {
    registration = { mode, confirm: target(branch.data.confirm ?? "", "confirm", protocol), cancel: target(branch.data.cancel ?? "", "cancel", protocol) };
  } else if (mode === "xa") {
    const url = target(branch.data.url ?? "", "url", protocol);
    if (url === "") throw invalid("url", "required for an xa branch");
    registration = { mode, target: url };
  } else {
    throw invalid("trans_type", `${mode} transactions register no branches (tcc and xa do)`);
  }
  return { gid, branchId, payload, registration };
}

/**
 * A branch URL as Concord stores it: in a json-rpc transaction an http(s) URL that names a
 * `method` is a JSON-RPC target (dtm's rule, decided here once instead of at every call).
 */
function target(url: string, field: string, protocol: DtmProtocol): string {
  const stored = protocol === "json-rpc" && /^https?:\/\//.test(url) && url.includes("method") ? `${jsonRpcTargetPrefix}${url}` : url;
  return validateTarget(stored, field);
}

/** dtm's options as Concord's: seconds to ms, dtm's retry model, and `retry_limit`. */
function optionsOf(trans: DtmTrans, prepared: boolean, defaults: DtmDefaults): TransOptions {
  // dtm's first interval: the transaction's own, else a timeout shorter than the server default, else the default.
  const timeoutMs = trans.timeoutToFail * 1000;
  const initialIntervalMs =
    trans.retryInterval > 0
      ? trans.retryInterval * 1000
      : timeoutMs > 0 && timeoutMs < defaults.dtmRetryIntervalMs
        ? timeoutMs
        : defaults.dtmRetryIntervalMs;
  if (trans.retryLimit > maxRetryLimit) throw invalid("retry_limit", `at most ${maxRetryLimit}`);
  const options = validateOptions(
    create(TransOptionsSchema, {
      waitResult: trans.waitResult,
      ...(timeoutMs > 0 ? { timeoutToFail: durationFromMs(timeoutMs) } : {}),
      ...(trans.requestTimeout > 0 ? { requestTimeout: durationFromMs(trans.requestTimeout * 1000) } : {}),
      retry: {
        initialInterval: durationFromMs(initialIntervalMs),
        maxInterval: durationFromMs(Math.max(initialIntervalMs, maxRetryIntervalMs)),
        backoffMultiplier: 2,
      },
      // HTTP header names are case-insensitive; gRPC metadata keys are lowercase.
      branchHeaders: Object.fromEntries(Object.entries(trans.branchHeaders).map(([k, v]) => [k.toLowerCase(), v])),
    }),
    prepared,
    defaults,
    "",
  );
  return trans.retryLimit > 0 ? { ...options, retryLimit: trans.retryLimit } : options;
}

/** What a saga or msg reads from its custom_data: a JSON object when not empty. */
interface CustomFields {
  readonly concurrent?: boolean;
  /** Saga: step index → indexes of the steps that must succeed first. */
  readonly orders?: Readonly<Record<string, readonly number[]>>;
  /** Msg: seconds before any action is called. */
  readonly delay?: number;
}

function customFields(customData: string): CustomFields {
  if (customData === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(customData);
  } catch {
    throw invalid("custom_data", "a saga's or msg's custom_data is a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("custom_data", "a saga's or msg's custom_data is a JSON object");
  const o = value as Record<string, unknown>;
  if (o.concurrent !== undefined && typeof o.concurrent !== "boolean") throw invalid("custom_data.concurrent", "expected true or false");
  if (o.delay !== undefined && (typeof o.delay !== "number" || !Number.isSafeInteger(o.delay) || o.delay < 0)) {
    throw invalid("custom_data.delay", "expected a whole number of seconds");
  }
  let orders: Record<string, number[]> | undefined;
  if (o.orders !== undefined && o.orders !== null) {
    if (typeof o.orders !== "object" || Array.isArray(o.orders)) throw invalid("custom_data.orders", 'expected {"<step>": [<step>, …]}');
    orders = {};
    for (const [k, v] of Object.entries(o.orders as Record<string, unknown>)) {
      if (!/^\d+$/.test(k) || !Array.isArray(v) || !v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
        throw invalid(`custom_data.orders["${k}"]`, "expected a list of step indexes");
      }
      orders[k] = v as number[];
    }
  }
  return {
    ...(typeof o.concurrent === "boolean" ? { concurrent: o.concurrent } : {}),
    ...(orders ? { orders } : {}),
    ...(typeof o.delay === "number" ? { delay: o.delay } : {}),
  };
}

function sagaBody(trans: DtmTrans, custom: CustomFields): ReturnType<typeof validateSaga> {
  const orders = custom.orders ?? {};
  for (const k of Object.keys(orders)) {
    if (Number(k) >= trans.steps.length) throw invalid(`custom_data.orders["${k}"]`, `there are ${trans.steps.length} steps`);
  }
  const saga = create(SagaSpecSchema, {
    concurrent: custom.concurrent ?? false,
    steps: trans.steps.map((s, i) => ({
      action: target(s.action, `steps[${i}].action`, trans.protocol),
      compensate: target(s.compensate, `steps[${i}].compensate`, trans.protocol),
      payload: trans.payloads[i] ?? new Uint8Array(0),
      after: [...(orders[String(i)] ?? [])],
    })),
  });
  return validateSaga(saga, "");
}

function msgBody(trans: DtmTrans, custom: CustomFields, preparing: boolean): ReturnType<typeof validateMsg> {
  if (trans.steps.length === 0) throw invalid("steps", "at least one step is required");
  const msg = create(MsgSpecSchema, {
    concurrent: trans.concurrent || custom.concurrent === true,
    queryPrepared: target(trans.queryPrepared, "query_prepared", trans.protocol),
    ...(custom.delay ? { delay: durationFromMs(custom.delay * 1000) } : {}),
    steps: trans.steps.map((s, i) => ({
      // `topic://<name>` stays as it is: the engine fans it out.
      action: s.action.startsWith("topic://") ? s.action : target(s.action, `steps[${i}].action`, trans.protocol),
      payload: trans.payloads[i] ?? new Uint8Array(0),
    })),
  });
  return validateMsg(msg, preparing, "");
}
