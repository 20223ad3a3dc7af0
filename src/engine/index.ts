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
export type { Transactions, TransactionInput, TransactionPage, AbortInput, RegisterInput, TransactionsOptions, WaitUntil } from "./transactions.js";
export { createTopics, topicOfTarget, topicTarget } from "./topics.js";
export type { Topics } from "./topics.js";
export { createCallGate } from "./call-gate.js";
export type { CallGate } from "./call-gate.js";
