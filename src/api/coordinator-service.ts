/**
 * concord.v1.CoordinatorService handlers: decode → core → answer. Thin on purpose: validation
 * lives in validate.ts, behaviour in the engine, and what differs between modes in each mode's
 * engine. Internal module.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { SubmitRequest, PrepareRequest, RegisterBranchRequest } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import { canBePrepared, modeEngines } from "../engine/index.js";
import type { BranchRegistration, RegisterInput, Transactions, TransactionInput } from "../engine/index.js";
import type { Mode } from "../model.js";
import { toProtoTransaction } from "./to-proto.js";
import type { OptionDefaults, RequestBody } from "./validate.js";
import {
  contentHash,
  invalid,
  validateBody,
  validateCustomData,
  validateGid,
  validateMode,
  validateOptions,
  validatePayload,
  validateTarget,
} from "./validate.js";

export function registerCoordinatorService(router: ConnectRouter, core: Transactions, defaults: OptionDefaults): void {
  router.service(CoordinatorService, {
    newGid: () => ({ gid: core.newGid() }),

    async submit(req, ctx) {
      const tx = await core.submit(submitInput(req, defaults), { deadlineMs: ctx.timeoutMs(), traceparent: ctx.requestHeader.get("traceparent") ?? undefined });
      return { transaction: toProtoTransaction(tx) };
    },

    async prepare(req, ctx) {
      await core.prepare(prepareInput(req, defaults), { traceparent: ctx.requestHeader.get("traceparent") ?? undefined });
      return {};
    },

    async abort(req, ctx) {
      const tx = await core.abort({ gid: validateGid(req.gid), reason: req.reason || "aborted by the client", waitResult: req.waitResult }, { deadlineMs: ctx.timeoutMs() });
      return { transaction: toProtoTransaction(tx) };
    },

    async registerBranch(req) {
      await core.registerBranch(registerInput(req));
      return {};
    },

    async getTransaction(req) {
      return { transaction: toProtoTransaction(await core.get(validateGid(req.gid))) };
    },
  });
}

function submitInput(req: SubmitRequest, defaults: OptionDefaults): TransactionInput {
  const gid = validateGid(req.gid);
  const mode = validateMode(req.mode);
  const engine = modeEngines[mode];
  const options = validateOptions(req.options, canBePrepared(engine), defaults);
  const body = validateBody(req.spec as RequestBody, engine.submitBody, mode, { preparing: false });
  return withHash(gid, mode, options, body, req.customData);
}

function prepareInput(req: PrepareRequest, defaults: OptionDefaults): TransactionInput {
  const gid = validateGid(req.gid);
  const mode = validateMode(req.mode);
  const engine = modeEngines[mode];
  if ("refused" in engine.prepare) throw invalid("mode", engine.prepare.refused);
  const options = validateOptions(req.options, true, defaults);
  const body = validateBody(req.msg ? { case: "msg", value: req.msg } : { case: undefined }, engine.prepare, mode, { preparing: true });
  return withHash(gid, mode, options, body, req.customData);
}

function withHash(
  gid: string,
  mode: Mode,
  options: TransactionInput["options"],
  body: ReturnType<typeof validateBody>,
  customData: string,
): TransactionInput {
  const input = { gid, mode, options, spec: body?.spec, payloads: body?.payloads ?? [], customData: validateCustomData(customData) };
  return { ...input, requestHash: contentHash(input) };
}

function registerInput(req: RegisterBranchRequest): RegisterInput {
  const gid = validateGid(req.gid);
  const branchId = validateGid(req.branchId, "branch_id");
  const payload = validatePayload(req.payload, "payload");
  return { gid, branchId, payload, registration: registration(req.branch) };
}

function registration(branch: RegisterBranchRequest["branch"]): BranchRegistration {
  switch (branch.case) {
    case "tcc":
      return { mode: "tcc", confirm: validateTarget(branch.value.confirm, "tcc.confirm"), cancel: validateTarget(branch.value.cancel, "tcc.cancel") };
    case "xa": {
      const target = validateTarget(branch.value.target, "xa.target");
      if (target === "") throw invalid("xa.target", "required");
      return { mode: "xa", target };
    }
    default:
      throw invalid("branch", "one of tcc or xa is required");
  }
}
