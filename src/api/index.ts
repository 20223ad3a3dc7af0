/** The concord.v1 API layer. Internal module. */
export { registerCoordinatorService } from "./coordinator-service.js";
export type { OptionDefaults } from "./validate.js";
