import { describe, expect, it } from "vitest";
import { resolveConfig } from "../config.js";
import { maskDatabaseUrl } from "../database-url.js";
import { configSummary } from "./main.js";

describe("the start-up log's database URL", () => {
  it.each([
    ["postgres://concord:s3cret@db:5432/concord", "postgres://concord:***@db:5432/concord"],
    ["postgres://concord:p%40ss@db/concord?sslmode=require", "postgres://concord:***@db/concord?sslmode=require"],
    ["postgres://db/concord?user=concord&password=s3cret", "postgres://db/concord?user=concord&password=***"],
    ["postgres://concord@db/concord", "postgres://concord@db/concord"],
    // Not a URL (the port is not a number; config refuses it anyway): nothing of it is shown.
    ["postgres://concord:s3cret@db:port/concord", "(unparseable URL)"],
  ])("masks the password of %s", (raw, masked) => {
    expect(maskDatabaseUrl(raw)).toBe(masked);
  });

  it("summarises every setting with the password masked", () => {
    const config = resolveConfig({ argv: ["--database-url", "postgres://u:hunter2@db/c"], env: {} });
    const summary = configSummary(config);
    expect(summary).toMatchObject({ grpcPort: 36790, shutdownGraceMs: 10000, databaseUrl: "postgres://u:***@db/c" });
    expect(JSON.stringify(summary)).not.toContain("hunter2");
  });
});
