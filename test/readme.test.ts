/**
 * The README's curl and grpcurl walkthrough, run as written against a real coordinator (only the
 * ports change), so the first thing a new user tries cannot rot. Run as a user would: from the
 * repository's root with their own PATH, so a command that is only found in `.bin/` must say so.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configHelp } from "../src/config.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}/README.md`, "utf8");
const walkthrough = readme.slice(readme.indexOf("## Try it with curl or grpcurl"), readme.indexOf("## From TypeScript"));
const [curlBlock, grpcurlBlock, dtmBlock] = [...walkthrough.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const grpcurl = `${root}/.bin/grpcurl`;
const hasCurl = (() => {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("README walkthrough", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
  });
  afterAll(async () => {
    await c?.stop();
  });

  // Asynchronous: the coordinator answering these commands runs in this very process.
  const run = async (script: string) =>
    (await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script.replaceAll("localhost:36789", `127.0.0.1:${c.httpPort}`).replaceAll("localhost:36790", `127.0.0.1:${c.grpcPort}`)], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
    })).stdout;

  it.skipIf(!hasCurl)(`the curl walkthrough answers as the README says${hasCurl ? "" : " (skipped: no curl on this machine)"}`, async () => {
    expect(curlBlock).toBeDefined();
    const out = await run(curlBlock!);
    expect(out).toContain('{"status":"ok","msg":"pong"}');
    expect(out).toMatch(/"gid":"curl-1","mode":"MODE_SAGA","status":"TRANSACTION_STATUS_SUCCEEDED"/);
    // The basic view: the outcome, without options, steps or branches.
    expect(out).toMatch(/\{"transaction":\{"gid":"curl-1b","mode":"MODE_SAGA","status":"TRANSACTION_STATUS_SUCCEEDED","attempts":1,"createTime":"[^"]+","updateTime":"[^"]+","finishTime":"[^"]+"\}\}/);
    expect(out).toMatch(/"gid":"curl-2","mode":"MODE_SAGA","status":"TRANSACTION_STATUS_SUBMITTED"/);
    expect(out).toContain('{"code":"invalid_argument","message":"gid: required"}');
  });

  it.skipIf(!existsSync(grpcurl))(
    `the grpcurl walkthrough answers as the README says${existsSync(grpcurl) ? "" : " (skipped: run make grpc-tools for .bin/grpcurl)"}`,
    async () => {
      expect(grpcurlBlock).toBeDefined();
      const out = await run(grpcurlBlock!);
      for (const service of ["concord.v1.CoordinatorService", "concord.v1.TopicService", "dtmgimp.Dtm", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]) {
        expect(out).toContain(service);
      }
      expect(out).toContain("rpc Submit ( .concord.v1.SubmitRequest ) returns ( .concord.v1.SubmitResponse );");
      expect(out).toMatch(/"gid": "grpcurl-1",\s+"mode": "MODE_SAGA",\s+"status": "TRANSACTION_STATUS_SUCCEEDED"/);
      expect(out).toContain('"status": "SERVING"');
    },
  );
});

describe("README dtm walkthrough", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
  });
  afterAll(async () => {
    await c?.stop();
  });

  it.skipIf(!hasCurl)(`dtm's HTTP API answers as the README says${hasCurl ? "" : " (skipped: no curl on this machine)"}`, async () => {
    expect(dtmBlock).toBeDefined();
    const script = dtmBlock!.replaceAll("localhost:36789", `127.0.0.1:${c.httpPort}`);
    const out = (await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script], { cwd: root, encoding: "utf8", timeout: 30_000 })).stdout;
    expect(out).toMatch(/^\{"gid":"[A-Za-z0-9_-]+","dtm_result":"SUCCESS"\}/);
    expect(out).toContain('{"dtm_result":"SUCCESS"}{"transaction":{');
    expect(out).toMatch(/"gid":"dtm-1","trans_type":"saga","status":"succeed"/);
    expect(out).toMatch(/"op":"compensate","status":"prepared".*"op":"action","status":"succeed"/);
    expect(out).toContain('{"message":"trans_type: unknown \\"sagas\\"; expected saga, msg, tcc, xa or workflow","code":"invalid_argument"}');
  });
});

describe("README configuration table", () => {
  it("lists every setting concord serve --help lists, with its environment variable and default", () => {
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Running in production"));
    const rows = new Map(
      [...section.matchAll(/^\| `(--[a-z-]+)` \| `(CONCORD_[A-Z_]+)` \|([^|]*)\|/gm)].map((m) => [m[1]!, { env: m[2]!, dflt: m[3]!.trim() }]),
    );
    const help = [...configHelp().matchAll(/^\s+(--[a-z-]+) <[a-z]+>\s+(CONCORD_[A-Z_]+)\s+.*?(?:\(default (.+)\))?$/gm)];
    expect(help.length).toBeGreaterThan(20);
    for (const [, flag, env, dflt] of help) {
      expect(rows.get(flag!), `${flag} is missing from the README's configuration table`).toBeDefined();
      expect(rows.get(flag!)!.env).toBe(env);
      if (dflt !== undefined) expect(rows.get(flag!)!.dflt, `default of ${flag}`).toContain(dflt);
    }
  });
});
