import { describe, expect, it } from "vitest";
import { canMove, finalStatuses, forwardStatuses, isFinal, transactionStatuses, unfinishedStatuses } from "./model.js";

describe("the transaction status state machine", () => {
  it("moves a transaction forward to SUCCEEDED, or through ABORTING to FAILED", () => {
    expect(canMove("prepared", "submitted")).toBe(true);
    expect(canMove("submitted", "succeeded")).toBe(true);
    expect(canMove("submitted", "aborting")).toBe(true);
    expect(canMove("aborting", "failed")).toBe(true);
    expect(canMove("prepared", "aborting")).toBe(true);
  });

  it("lets a message go from PREPARED straight to FAILED", () => {
    expect(canMove("prepared", "failed")).toBe(true);
  });

  it("never leaves a final status, never goes back, never skips rolling back", () => {
    for (const final of finalStatuses) for (const to of transactionStatuses) if (to !== final) expect(canMove(final, to)).toBe(false);
    expect(canMove("submitted", "prepared")).toBe(false);
    expect(canMove("aborting", "submitted")).toBe(false);
    expect(canMove("aborting", "succeeded")).toBe(false);
    expect(canMove("submitted", "failed")).toBe(false);
  });

  it("splits the statuses into final and unfinished ones, in the order the store's SQL is written in", () => {
    expect(finalStatuses).toEqual(["succeeded", "failed"]);
    expect(unfinishedStatuses).toEqual(["prepared", "submitted", "aborting"]);
    expect(forwardStatuses).toEqual(["prepared", "submitted"]);
    expect(transactionStatuses.filter(isFinal)).toEqual(finalStatuses);
  });
});
