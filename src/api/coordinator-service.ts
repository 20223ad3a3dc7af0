/**
 * concord.v1.CoordinatorService handlers: decode → core → answer. Thin on purpose: validation
 * lives in validate.ts, behaviour in the engine. Internal module.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { SubmitRequest, PrepareRequest, RegisterBranchRequest } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { Transactions, TransactionInput } from "../engine/index.js";
import type { NewBranch } from "../store/index.js";
import { toProtoTransaction } from "./to-proto.js";
import type { OptionDefaults } from "./validate.js";
import {
  contentHash,
  invalid,
  validateCustomData,
  validateGid,
  validateMode,
  validateMsg,
  validateOptions,
  validatePayload,
  validateSaga,
  validateTarget,
} from "./validate.js";

export function registerCoordinatorService(router: ConnectRouter, core: Transactions, defaults: OptionDefaults): void {
  router.service(CoordinatorService, {
    newGid: () => ({ gid: core.newGid() }),

    async submit(req, ctx) {
      const tx = await core.submit(submitInput(req, defaults), ctx.timeoutMs());
      return { transaction: toProtoTransaction(tx) };
    },

    async prepare(req) {
      await core.prepare(prepareInput(req, defaults));
      return {};
    },

    async abort(req, ctx) {
      const tx = await core.abort({ gid: validateGid(req.gid), reason: req.reason, waitResult: req.waitResult }, ctx.timeoutMs());
      return { transaction: toProtoTransaction(tx) };
    },

    async registerBranch(req) {
      const { gid, mode, branches } = registerInput(req);
      await core.registerBranch(gid, mode, branches);
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
  const options = validateOptions(req.options, mode, defaults);
  let body: ReturnType<typeof validateSaga> | undefined;
  if (mode === "saga") {
    if (req.spec.case !== "saga") throw invalid("saga", "required for a saga");
    body = validateSaga(req.spec.value);
  } else if (mode === "msg") {
    if (req.spec.case === "saga") throw invalid("saga", "not allowed for a msg");
    // Without steps this submits a message prepared earlier.
    if (req.spec.case === "msg" && req.spec.value.steps.length > 0) body = validateMsg(req.spec.value, false);
  } else if (req.spec.case !== undefined) {
    throw invalid(req.spec.case, `not allowed for ${mode}`);
  }
  return withHash({ gid, mode, options, spec: body?.spec, payloads: body?.payloads ?? [], customData: validateCustomData(req.customData) });
}

function prepareInput(req: PrepareRequest, defaults: OptionDefaults): TransactionInput {
  const gid = validateGid(req.gid);
  const mode = validateMode(req.mode);
  const options = validateOptions(req.options, mode, defaults);
  if (mode === "saga") throw invalid("mode", "a saga is submitted directly, not prepared");
  let body: ReturnType<typeof validateMsg> | undefined;
  if (mode === "msg") {
    if (!req.msg) throw invalid("msg", "required to prepare a message");
    body = validateMsg(req.msg, true);
  } else if (req.msg) {
    throw invalid("msg", `not allowed for ${mode}`);
  }
  return withHash({ gid, mode, options, spec: body?.spec, payloads: body?.payloads ?? [], customData: validateCustomData(req.customData) });
}

function withHash(input: Omit<TransactionInput, "requestHash">): TransactionInput {
  return { ...input, requestHash: contentHash(input) };
}

function registerInput(req: RegisterBranchRequest): { gid: string; mode: "tcc" | "xa"; branches: NewBranch[] } {
  const gid = validateGid(req.gid);
  const branchId = validateGid(req.branchId, "branch_id");
  const payload = validatePayload(req.payload, "payload");
  switch (req.branch.case) {
    case "tcc": {
      const confirm = validateTarget(req.branch.value.confirm, "tcc.confirm");
      const cancel = validateTarget(req.branch.value.cancel, "tcc.cancel");
      return {
        gid,
        mode: "tcc",
        branches: [
          { branchId, op: "confirm", target: confirm, payload },
          { branchId, op: "cancel", target: cancel, payload },
        ],
      };
    }
    case "xa": {
      const target = validateTarget(req.branch.value.target, "xa.target");
      if (target === "") throw invalid("xa.target", "required");
      return {
        gid,
        mode: "xa",
        branches: [
          { branchId, op: "commit", target, payload },
          { branchId, op: "rollback", target, payload },
        ],
      };
    }
    default:
      throw invalid("branch", "one of tcc or xa is required");
  }
}
