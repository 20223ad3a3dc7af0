/**
 * concord.v1.CoordinatorService handlers: decode → core → answer. Thin on purpose: validation
 * lives in validate.ts, behaviour in the engine, and what differs between modes in each mode's
 * engine. Internal module.
 */
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { mayRead, principalOf, transactionDenied } from "../auth/index.js";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { SubmitRequest, PrepareRequest, RegisterBranchRequest } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import { canBePrepared, modeEngines } from "../engine/index.js";
import type { BranchRegistration, RegisterInput, Transactions, TransactionInput } from "../engine/index.js";
import type { Mode } from "../model.js";
import { toProtoTransaction, toProtoTransactionView } from "./to-proto.js";
import { admitTargets, registrationTargets, specTargets, type TargetAdmission } from "./admit-targets.js";
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
  validateView,
} from "./validate.js";

/** `admission`: the outbound policy every target is checked against before anything is stored. */
export function registerCoordinatorService(router: ConnectRouter, core: Transactions, defaults: OptionDefaults, admission: TargetAdmission): void {
  router.service(CoordinatorService, {
    newGid: () => ({ gid: core.newGid() }),

    async submit(req, ctx) {
      const input = submitInput(req, defaults);
      const view = validateView(req.view);
      await admitTargets(admission, specTargets(input.spec, input.mode));
      const tx = await core.submit(input, { deadlineMs: ctx.timeoutMs(), ...callOf(ctx) });
      return { transaction: toProtoTransactionView(tx, view) };
    },

    async prepare(req, ctx) {
      const input = prepareInput(req, defaults);
      await admitTargets(admission, specTargets(input.spec, input.mode));
      await core.prepare(input, callOf(ctx));
      return {};
    },

    async abort(req, ctx) {
      const view = validateView(req.view);
      const tx = await core.abort(
        { gid: validateGid(req.gid), reason: req.reason || "aborted by the client", waitResult: req.waitResult },
        { deadlineMs: ctx.timeoutMs(), principal: principalOf(ctx.values) },
      );
      return { transaction: toProtoTransactionView(tx, view) };
    },

    async registerBranch(req) {
      const input = registerInput(req);
      await admitTargets(admission, registrationTargets(input.registration, { confirm: "tcc.confirm", cancel: "tcc.cancel", target: "xa.target" }));
      await core.registerBranch(input);
      return {};
    },

    async getTransaction(req, ctx) {
      const tx = await core.get(validateGid(req.gid));
      if (!mayRead(principalOf(ctx.values), tx.createdBy)) throw transactionDenied("read");
      return { transaction: toProtoTransaction(tx) };
    },
  });
}

/** Who calls, and the trace they continue. */
function callOf(ctx: HandlerContext) {
  return { traceparent: ctx.requestHeader.get("traceparent") ?? undefined, principal: principalOf(ctx.values) };
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
