/**
 * The registry of modes: the engine of each, in one explicit record. A new mode is its own file
 * implementing ModeEngine (mode.ts) and its line here. Internal module.
 */
import type { Mode } from "../model.js";
import type { ModeEngine } from "./mode.js";
import { sagaEngine } from "./saga.js";
import { msgEngine } from "./msg.js";
import { tccEngine, xaEngine } from "./two-phase.js";
import { workflowEngine } from "./workflow.js";

export const modeEngines: Readonly<Record<Mode, ModeEngine>> = {
  saga: sagaEngine,
  msg: msgEngine,
  tcc: tccEngine,
  xa: xaEngine,
  workflow: workflowEngine,
};
