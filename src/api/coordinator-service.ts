/**
 * concord.v1.CoordinatorService handlers: decode → core → answer. Thin on purpose: validation
 * lives in validate.ts, behaviour in the engine. Internal module.
 */
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { SubmitRequest, PrepareRequest } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { Transactions, TransactionInput } from "../engine/index.js";
import { toProtoTransaction } from "./to-proto.js";
import type { OptionDefaults } from "./validate.js";
import { contentHash, validateCustomData, validateGid, validateMode, validateMsg, validateOptions, validateSaga, invalid } from "./validate.js";

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
      const tx = await core.abort({ gid: validateGid(req.gid), reason: req.reason, waitResult: req.waitResult }, deadline(ctx));
      return { transaction: toProtoTransaction(tx) };
    },

    async registerBranch(req) {
      validateGid(req.gid);
      throw new ConnectError("RegisterBranch: tcc and xa transactions are not available in this release yet", Code.Unimplemented);
    },

    async getTransaction(req) {
      return { transaction: toProtoTransaction(await core.get(validateGid(req.gid))) };
    },
  });
}

function deadline(ctx: HandlerContext): number | undefined {
  return ctx.timeoutMs();
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
