/** The transaction engine: one engine per mode, the runs that drive them, the core operations. Internal module. */
export { CoordinatorEvents } from "./events.js";
export type { CoordinatorEventMap, CoordinatorEventName } from "./events.js";
export { Executor } from "./executor.js";
export type { RunResult, RunStart } from "./executor.js";
export type { RunContext, RunEnd } from "./run.js";
export { createTransactions } from "./transactions.js";
export type { Transactions, TransactionInput, AbortInput, TransactionsOptions } from "./transactions.js";
