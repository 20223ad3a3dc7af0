import { describe, it, expect } from "vitest";
import { Code } from "@connectrpc/connect";
import { status } from "@grpc/grpc-js";
import { describeOutcome, isServiceAlive, outcomeFromStatus, statusOfOutcome } from "./outcome.js";

describe("outcomeFromStatus", () => {
  it("turns OK into a success carrying the response bytes", () => {
    const response = new Uint8Array([1, 2, 3]);
    expect(outcomeFromStatus(status.OK, "", response)).toEqual({ kind: "success", response });
  });

  it("turns ABORTED into a failure", () => {
    expect(outcomeFromStatus(status.ABORTED, "insufficient funds")).toEqual({ kind: "failure", message: "insufficient funds" });
  });

  it("turns FAILED_PRECONDITION into ongoing", () => {
    expect(outcomeFromStatus(status.FAILED_PRECONDITION, "not yet")).toEqual({ kind: "ongoing", message: "not yet" });
  });

  it.each([
    [status.UNAVAILABLE, Code.Unavailable],
    [status.DEADLINE_EXCEEDED, Code.DeadlineExceeded],
    [status.INTERNAL, Code.Internal],
    [status.CANCELLED, Code.Canceled],
    [status.UNAUTHENTICATED, Code.Unauthenticated],
    [status.NOT_FOUND, Code.NotFound],
  ])("turns gRPC status %i into unknown with the same Connect code", (grpcCode, code) => {
    expect(outcomeFromStatus(grpcCode, "boom")).toEqual({ kind: "unknown", code, message: "boom" });
  });

  it("turns a status outside gRPC's range into unknown with Code.Unknown", () => {
    expect(outcomeFromStatus(99, "odd")).toEqual({ kind: "unknown", code: Code.Unknown, message: "odd" });
  });
});

describe("statusOfOutcome", () => {
  it("answers each outcome that is not a success with the status that reads back as it", () => {
    const outcomes = [
      { kind: "failure", message: "no" },
      { kind: "ongoing", message: "later" },
      { kind: "unknown", code: Code.Unavailable, message: "down" },
    ] as const;
    for (const outcome of outcomes) {
      expect(outcomeFromStatus(statusOfOutcome(outcome), outcome.message)).toEqual(outcome);
    }
  });

  it("answers FAILURE with ABORTED and ONGOING with FAILED_PRECONDITION, as dtm's gRPC branches do", () => {
    expect(statusOfOutcome({ kind: "failure", message: "" })).toBe(status.ABORTED);
    expect(statusOfOutcome({ kind: "ongoing", message: "" })).toBe(status.FAILED_PRECONDITION);
  });
});

describe("isServiceAlive", () => {
  it("counts every deliberate answer as alive and only unknown as not", () => {
    expect(isServiceAlive({ kind: "success", response: new Uint8Array() })).toBe(true);
    expect(isServiceAlive({ kind: "failure", message: "" })).toBe(true);
    expect(isServiceAlive({ kind: "ongoing", message: "" })).toBe(true);
    expect(isServiceAlive({ kind: "unknown", code: Code.Unavailable, message: "" })).toBe(false);
    expect(isServiceAlive({ kind: "unknown", code: Code.DeadlineExceeded, message: "" })).toBe(false);
    // About the request, not the service: one malformed call must not open the circuit for all.
    expect(isServiceAlive({ kind: "unknown", code: Code.InvalidArgument, message: "" })).toBe(true);
    expect(isServiceAlive({ kind: "unknown", code: Code.Canceled, message: "" })).toBe(true);
  });
});

describe("describeOutcome", () => {
  it("names the code of an unknown outcome", () => {
    expect(describeOutcome({ kind: "unknown", code: Code.DeadlineExceeded, message: "late" })).toBe("DeadlineExceeded: late");
  });
});
