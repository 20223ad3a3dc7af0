/**
 * The README's examples (examples/ts) run against a real coordinator, so they cannot rot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";
import { main as sagaExample } from "../examples/ts/saga.js";
import { main as tccExample } from "../examples/ts/tcc.js";
import { main as xaExample } from "../examples/ts/xa.js";
import { main as msgExample } from "../examples/ts/msg.js";
import { main as httpSagaExample } from "../examples/ts/http-saga.js";
import { main as workflowExample } from "../examples/ts/workflow.js";
import { createTestDatabase } from "./support/databases.js";

describe("examples", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
  });
  afterAll(async () => {
    await c?.stop();
  });
  const url = () => `http://127.0.0.1:${c.grpcPort}`;

  it("the saga example moves 30 and rolls back the transfer alice cannot afford", async () => {
    expect(await sagaExample(url())).toEqual({ alice: 70, bob: 30 });
  });

  it("the HTTP saga example moves 30 over HTTP branches and rolls back the transfer alice cannot afford", async () => {
    expect(await httpSagaExample(url())).toEqual({ alice: 70, bob: 30 });
  });

  it("the tcc example confirms 30 and cancels the transfer alice cannot afford", async () => {
    expect(await tccExample(url())).toEqual({ alice: 70, bob: 30 });
  });

  it("the workflow example confirms 30 and rolls back the transfer alice cannot afford", async () => {
    expect(await workflowExample(url())).toEqual({ alice: 70, bob: 30 });
  });

  it("the xa example commits 30 and rolls back the transfer alice cannot afford", async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      expect(await xaExample(url(), db.url)).toEqual({ alice: 70, bob: 30 });
    } finally {
      await db.drop();
    }
  });

  it("the msg example delivers 30 and sends nothing for the debit that fails", async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      expect(await msgExample(url(), db.url)).toEqual({ alice: 70, bob: 30 });
    } finally {
      await db.drop();
    }
  });
});
