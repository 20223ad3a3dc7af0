/** Claiming due work. Internal module. */
export { createScheduler } from "./scheduler.js";
export type { Scheduler, SchedulerOptions } from "./scheduler.js";
