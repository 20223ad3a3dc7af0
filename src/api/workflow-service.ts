/**
 * concord.v1.WorkflowService handlers: validate → core (engine/workflows.ts) → answer. Every
 * field is checked before anything is stored; the resume target is admitted by the outbound
 * policy like any branch target. Internal module.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { principalOf } from "../auth/index.js";
import { WorkflowService, WorkflowStepSchema } from "../../gen/ts/concord/v1/workflow_service_pb.js";
import type { FinishWorkflowRequest, PrepareWorkflowRequest, RecordStepRequest, WorkflowStep } from "../../gen/ts/concord/v1/workflow_service_pb.js";
import { BranchOp as ProtoBranchOp, BranchStatus as ProtoBranchStatus, TransactionStatus as ProtoStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { FinishInput, StepInput, WorkflowInput, Workflows } from "../engine/index.js";
import type { BranchOp, BranchRecord, TransactionWithBranches } from "../model.js";
import { limits } from "../config.js";
import { protoOps, toProtoTransaction } from "./to-proto.js";
import { admitTargets, type TargetAdmission } from "./admit-targets.js";
import type { OptionDefaults } from "./validate.js";
import { invalid, validateCustomData, validateGid, validateOptions, validatePayload, validateTarget } from "./validate.js";

export function registerWorkflowService(router: ConnectRouter, core: Workflows, defaults: OptionDefaults, admission: TargetAdmission): void {
  router.service(WorkflowService, {
    async prepareWorkflow(req, ctx) {
      const input = prepareInput(req, defaults);
      await admitTargets(admission, [{ field: "workflow.resume_target", target: input.workflow.resumeTarget }]);
      const { transaction, created } = await core.prepare(input, principalOf(ctx.values));
      return { transaction: toProtoTransaction(transaction), progress: workflowSteps(transaction).map(toProtoStep), created };
    },

    async recordStep(req, ctx) {
      await core.recordStep(stepInput(req), principalOf(ctx.values));
      return {};
    },

    async finishWorkflow(req, ctx) {
      const tx = await core.finish(finishInput(req), principalOf(ctx.values));
      return { transaction: toProtoTransaction(tx) };
    },
  });
}

const namePattern = /^[\x20-\x7e]{1,128}$/;

/**
 * A workflow's name: 1 to 128 printable ASCII characters, since every resume call carries it as
 * its `dtm-op` (gRPC metadata, an HTTP query parameter).
 */
export function validateWorkflowName(name: string, field: string): string {
  if (name === "") throw invalid(field, "required");
  if (!namePattern.test(name)) throw invalid(field, "1 to 128 printable ASCII characters");
  return name;
}

/** A workflow's resume target: required, a target as any branch's. */
export function validateResumeTarget(target: string, field: string): string {
  if (target === "") throw invalid(field, "required");
  return validateTarget(target, field);
}

/** A recorded step's id: two to 64 characters of a gid's alphabet (dtm numbers them "01", "02", …). */
export function validateStepId(branchId: string, field: string): string {
  validateGid(branchId, field);
  if (branchId.length < 2) throw invalid(field, "at least two characters");
  return branchId;
}


/** A rollback reason: at most as large as custom_data. */
export function validateRollbackReason(reason: string, field: string): string {
  if (Buffer.byteLength(reason) > limits.maxCustomDataBytes) throw invalid(field, `at most ${limits.maxCustomDataBytes} bytes`);
  return reason;
}

function prepareInput(req: PrepareWorkflowRequest, defaults: OptionDefaults): WorkflowInput {
  const gid = validateGid(req.gid);
  if (!req.workflow) throw invalid("workflow", "required");
  const name = validateWorkflowName(req.workflow.name, "workflow.name");
  const resumeTarget = validateResumeTarget(req.workflow.resumeTarget, "workflow.resume_target");
  const input = validatePayload(req.workflow.input, "workflow.input");
  // A workflow can be left PREPARED by a client that vanished: it always has a timeout.
  const options = validateOptions(req.options, true, defaults);
  return { gid, workflow: { name, resumeTarget }, input, options, customData: validateCustomData(req.customData) };
}

const protoStepOps: Partial<Record<ProtoBranchOp, BranchOp>> = {
  [ProtoBranchOp.ACTION]: "action",
  [ProtoBranchOp.TRY]: "try",
  [ProtoBranchOp.COMMIT]: "commit",
  [ProtoBranchOp.ROLLBACK]: "rollback",
  [ProtoBranchOp.CONFIRM]: "confirm",
  [ProtoBranchOp.CANCEL]: "cancel",
};

function stepInput(req: RecordStepRequest): StepInput {
  const gid = validateGid(req.gid);
  const branchId = validateStepId(req.branchId, "branch_id");
  const op = protoStepOps[req.op];
  if (op === undefined) throw invalid("op", "BRANCH_OP_ACTION, BRANCH_OP_TRY, BRANCH_OP_COMMIT, BRANCH_OP_ROLLBACK, BRANCH_OP_CONFIRM or BRANCH_OP_CANCEL");
  const status = req.status === ProtoBranchStatus.SUCCEEDED ? "succeeded" : req.status === ProtoBranchStatus.FAILED ? "failed" : undefined;
  if (status === undefined) throw invalid("status", "BRANCH_STATUS_SUCCEEDED or BRANCH_STATUS_FAILED");
  return { gid, branchId, op, status, result: validatePayload(req.result, "result") };
}

function finishInput(req: FinishWorkflowRequest): FinishInput {
  const gid = validateGid(req.gid);
  const status = req.status === ProtoStatus.SUCCEEDED ? "succeeded" : req.status === ProtoStatus.FAILED ? "failed" : undefined;
  if (status === undefined) throw invalid("status", "TRANSACTION_STATUS_SUCCEEDED or TRANSACTION_STATUS_FAILED");
  return { gid, status, result: validatePayload(req.result, "result"), rollbackReason: validateRollbackReason(req.rollbackReason, "rollback_reason") };
}

/** A workflow's recorded steps (its finished branch rows), in the order they were recorded. */
export function workflowSteps(tx: TransactionWithBranches): BranchRecord[] {
  return tx.branches.filter((b) => b.status !== "prepared");
}

const stepStatuses = { succeeded: ProtoBranchStatus.SUCCEEDED, failed: ProtoBranchStatus.FAILED, prepared: ProtoBranchStatus.PREPARED } as const;
function toProtoStep(b: BranchRecord): WorkflowStep {
  return create(WorkflowStepSchema, {
    branchId: b.branchId,
    op: protoOps[b.op],
    status: stepStatuses[b.status],
    result: b.payload,
    ...(b.finishedAt ? { finishTime: timestampFromDate(b.finishedAt) } : {}),
  });
}
