/** Background work: claiming due work, and retention. Internal module. */
export { createScheduler } from "./scheduler.js";
export type { Scheduler, SchedulerOptions } from "./scheduler.js";
export { startRetention } from "./retention.js";
export type { Retention, RetentionOptions } from "./retention.js";
