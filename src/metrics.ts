/**
 * Prometheus metrics (prom-client), counted from the coordinator's lifecycle events, with the
 * process defaults, served at `/metrics` and at dtm's `/api/metrics`. One registry per
 * coordinator, so several in one process (tests, embedding) do not mix. Internal module.
 */
import { Counter, Registry, collectDefaultMetrics } from "prom-client";
import type { CoordinatorEvents } from "./engine/index.js";
import type { HttpRoute } from "./server/index.js";

export interface Metrics {
  readonly registry: Registry;
  /** `GET /metrics` and `GET /api/metrics`. */
  readonly routes: readonly HttpRoute[];
  /** Stop counting. */
  close(): void;
}

export function createMetrics(events: CoordinatorEvents): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const submitted = new Counter({
    name: "concord_transactions_submitted_total",
    help: "Transactions stored as submitted (a saga or msg stored and started, or a prepared one submitted), by mode.",
    labelNames: ["mode"],
    registers: [registry],
  });
  const finished = new Counter({
    name: "concord_transactions_finished_total",
    help: "Transactions that reached a final status, by mode and status.",
    labelNames: ["mode", "status"],
    registers: [registry],
  });
  const rollingBack = new Counter({
    name: "concord_transactions_rollbacks_total",
    help: "Transactions that started rolling back (aborting), by mode.",
    labelNames: ["mode"],
    registers: [registry],
  });
  const branchCalls = new Counter({
    name: "concord_branch_calls_total",
    help: "Branch calls made, by op and outcome (success, failure, ongoing, unknown).",
    labelNames: ["op", "outcome"],
    registers: [registry],
  });
  const alerts = new Counter({
    name: "concord_branch_alerts_total",
    help: "Alerts raised for branch ops that keep failing, by op and reason (attempts, max_attempts).",
    labelNames: ["op", "reason"],
    registers: [registry],
  });
  const offs = [
    events.on("transaction:submitted", (e) => submitted.inc({ mode: e.mode })),
    events.on("transaction:finished", (e) => finished.inc({ mode: e.mode, status: e.status })),
    events.on("transaction:aborting", (e) => rollingBack.inc({ mode: e.mode })),
    events.on("branch:called", (e) => branchCalls.inc({ op: e.op, outcome: e.outcome.kind })),
    events.on("branch:alert", (e) => alerts.inc({ op: e.op, reason: e.reason })),
  ];
  const serve = async () => ({ headers: { "content-type": registry.contentType }, body: await registry.metrics() });
  return {
    registry,
    routes: [
      { methods: ["GET", "HEAD"], path: "/metrics", handle: serve },
      { methods: ["GET", "HEAD"], path: "/api/metrics", handle: serve },
    ],
    close() {
      for (const off of offs) off();
    },
  };
}
