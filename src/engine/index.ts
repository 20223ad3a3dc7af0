/** The transaction engine: one engine per mode, the runs that drive them, the core operations. Internal module. */
export { CoordinatorEvents } from "./events.js";
export type { BranchCause, CoordinatorEventMap, CoordinatorEventName } from "./events.js";
export { Executor } from "./executor.js";
export type { RunResult, RunStart } from "./executor.js";
export type { RunContext, RunEnd } from "./run.js";
export { createLease, LeaseExpiringError } from "./lease.js";
export type { Lease, LeaseOptions } from "./lease.js";
export { canBePrepared } from "./mode.js";
export type { BodyKind, BodyRule, BranchRegistration, ModeEngine } from "./mode.js";
export { modeEngines } from "./modes.js";
export { logTransactionOutcomes } from "./outcome-log.js";
export { createTransactions } from "./transactions.js";
export type { Transactions, TransactionInput, AbortInput, RegisterInput, TransactionsOptions } from "./transactions.js";
