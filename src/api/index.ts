/** The concord.v1 API layer. Internal module. */
export { registerCoordinatorService } from "./coordinator-service.js";
export { registerTopicService, validateSubscriber } from "./topic-service.js";
export { registerAdminService } from "./admin-service.js";
export { registerWorkflowService, validateResumeTarget, validateRollbackReason, validateStepId, validateWorkflowName, workflowSteps } from "./workflow-service.js";
export type { AdminServiceOptions } from "./admin-service.js";
export type { OptionDefaults } from "./validate.js";
export { admitTargets, registrationTargets, specTargets, type FieldTarget, type TargetAdmission } from "./admit-targets.js";
export { decodePageToken, encodePageToken } from "./page-token.js";
export {
  contentHash,
  invalid,
  validateCustomData,
  validateGid,
  validateMsg,
  validateOptions,
  validatePayload,
  validateSaga,
  validateTarget,
  validateTopicName,
} from "./validate.js";
