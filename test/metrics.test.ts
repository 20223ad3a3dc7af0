/**
 * `/metrics` after a scenario of known sagas shows exactly those counts: read with a Prometheus
 * text parser, on a coordinator with a database of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saga, TransactionStatus } from "../src/client/index.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { histogramSum, parsePrometheusText, total, type PromMetrics } from "./support/prometheus-text.js";

describe("metrics", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let families: PromMetrics;

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator("postgres");
    const transfer = async (gid: string) =>
      (await saga(c.client, gid, { retry: { initialIntervalMs: 20, maxIntervalMs: 40 } }))
        .add(bank.target("TransOut"), bank.target("TransOutCompensate"), new Uint8Array(4))
        .add(bank.target("TransIn"), bank.target("TransInCompensate"), new Uint8Array(4));
    // Three succeed; two roll back (TransIn says no); one succeeds after one UNAVAILABLE TransOut.
    for (const i of [1, 2, 3]) expect((await (await transfer(`m-ok-${i}`)).submit({ waitResult: true })).status).toBe(TransactionStatus.SUCCEEDED);
    for (const i of [1, 2]) {
      bank.failNext("TransIn", "failure");
      await (await transfer(`m-rollback-${i}`)).submit({ waitResult: true }).catch(() => undefined);
    }
    bank.failNext("TransOut", "unavailable");
    expect((await (await transfer("m-retried")).submit({ waitResult: true, timeoutMs: 10_000 })).status).toBe(TransactionStatus.SUCCEEDED);
    const res = await fetch(`http://127.0.0.1:${c.httpPort}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    families = parsePrometheusText(await res.text());
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });

  it("counts transactions started, finished by status, and rolled back", () => {
    expect(total(families, "concord_transactions_started_total", { mode: "saga" })).toBe(6);
    expect(total(families, "concord_transactions_finished_total", { mode: "saga", status: "succeeded" })).toBe(4);
    expect(total(families, "concord_transactions_finished_total", { mode: "saga", status: "failed" })).toBe(2);
    expect(total(families, "concord_transactions_rollbacks_total", { mode: "saga" })).toBe(2);
    expect(total(families, "concord_transaction_duration_seconds", { mode: "saga", status: "succeeded" })).toBe(4);
    expect(total(families, "concord_transaction_duration_seconds", { mode: "saga", status: "failed" })).toBe(2);
  });

  it("counts every branch call by op, outcome and service, and times each", () => {
    const service = bank.address;
    expect(total(families, "concord_branch_calls_total", { op: "action", outcome: "success", service })).toBe(3 * 2 + 2 * 1 + 2);
    expect(total(families, "concord_branch_calls_total", { op: "action", outcome: "failure", service })).toBe(2);
    expect(total(families, "concord_branch_calls_total", { op: "action", outcome: "unknown", service })).toBe(1);
    expect(total(families, "concord_branch_calls_total", { op: "compensate", outcome: "success", service })).toBe(4);
    expect(total(families, "concord_branch_call_duration_seconds", { op: "action", service })).toBe(13);
    expect(total(families, "concord_branch_call_duration_seconds", { op: "compensate", service })).toBe(4);
    expect(histogramSum(families, "concord_branch_call_duration_seconds", { op: "action", service })).toBeGreaterThan(0);
  });

  it("reads what is in flight, stuck and due from this instance and the store", () => {
    expect(total(families, "concord_transactions_in_flight")).toBe(0);
    expect(total(families, "concord_transactions_unfinished")).toBe(0);
    expect(total(families, "concord_transactions_stuck")).toBe(0);
    expect(total(families, "concord_scheduler_lag_seconds")).toBe(0);
    expect(total(families, "concord_retention_deleted_total")).toBe(0);
  });

  it("times the store's calls by operation, and has the process's own metrics", () => {
    expect(total(families, "concord_store_query_duration_seconds", { operation: "createTransaction" })).toBe(6);
    expect(total(families, "concord_store_query_duration_seconds", { operation: "saveProgress" })).toBeGreaterThanOrEqual(6);
    expect(Object.keys(families)).toEqual(expect.arrayContaining(["process_cpu_user_seconds_total", "nodejs_eventloop_lag_seconds", "process_resident_memory_bytes"]));
  });
});
