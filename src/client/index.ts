/**
 * The TypeScript SDK, exported as `concord/client`: a client factory, saga and msg builders,
 * TCC and XA, workflows, a typed error for a waited transaction that FAILED, and branch-side helpers that
 * read the `dtm-*` metadata and answer FAILURE / ONGOING with the right gRPC status, or read the
 * query string of an HTTP branch call and answer with dtm's HTTP statuses.
 *
 * This file only lists what is public; nothing in the SDK imports it.
 */

// The coordinator's API, as generated.
export { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
export { TopicService } from "../../gen/ts/concord/v1/topic_service_pb.js";
export { WorkflowService } from "../../gen/ts/concord/v1/workflow_service_pb.js";
export * from "../../gen/ts/concord/v1/transaction_pb.js";
export type * from "../../gen/ts/concord/v1/coordinator_service_pb.js";
export type * from "../../gen/ts/concord/v1/topic_service_pb.js";
export type * from "../../gen/ts/concord/v1/workflow_service_pb.js";

// Client factories and address.
export { createConcordClient, createTopicClient, createWorkflowClient, coordinatorAddress } from "./coordinator.js";
export type { ConcordClientOptions, CoordinatorClient, TopicClient, WorkflowClient } from "./coordinator.js";

// Options and the typed error.
export { toOptions, TransactionFailedError } from "./options.js";
export type { StepOptions, SubmitOptions, TransactionOptionsInit } from "./options.js";

// Saga and msg builders.
export { msg, MsgBuilder, saga, SagaBuilder } from "./builders.js";

// TCC and XA, from the side that starts them.
export { tcc, xa, tccFromBranch, closeBranchChannels, TccTransaction, XaTransaction } from "./two-phase.js";
export type { TwoPhaseOptions } from "./two-phase.js";

// Workflows: functions whose steps are recorded, rolled back on a throw and resumed after a crash.
export { createWorkflows, workflowTransType } from "./workflow.js";
export type { RegisterOptions, Workflow, WorkflowFunction, Workflows, WorkflowsOptions } from "./workflow.js";
export { WorkflowContext } from "./workflow-context.js";
export type { BranchCallOptions, LocalStepOptions, RemoteStepOptions, StepInfo } from "./workflow-context.js";
export { bytesCodec, jsonCodec } from "./workflow-codec.js";
export type { WorkflowCodec } from "./workflow-codec.js";
export { WorkflowFailedError, WorkflowStepFailedError, WorkflowUnfinishedError } from "./workflow-errors.js";

// Branch side: call info, answers, raw-bytes services, barriers, local msg and XA.
export { branchFailure, branchInfoFromGrpc, branchInfoFromHeaders, branchOngoing, grpcBranchFailure, grpcBranchOngoing } from "./branch.js";
export { branchInfoFromUrl, httpBranchFailure, httpBranchOngoing, httpBranchSuccess, sendHttpBranchAnswer } from "./http-branch.js";
export type { HttpBranchAnswer } from "./http-branch.js";
export { rawBytesService, type BranchInfo } from "../protocol/index.js";
export { barrierSchemaSql, createBarrier, defaultBarrierTable, ensureBarrierTable } from "./barrier.js";
export type { Barrier, BarrierOptions, BarrierResult, BarrierSkip, BarrierTx } from "./barrier.js";
export { xaFinish, xaHandle, xaLocal, xaTransactionId } from "./xa.js";
export type { XaOptions } from "./xa.js";
export { doAndSubmit, queryPrepared, queryPreparedConnect, queryPreparedGrpc } from "./msg-local.js";
export type { DoAndSubmitOptions, MsgLocalOptions, QueryPreparedResult } from "./msg-local.js";
