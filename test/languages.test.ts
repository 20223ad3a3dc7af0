/**
 * Every language calls Concord: the Go, Java and Python examples (examples/<lang>) are built and
 * run against a real `concord serve` process on Postgres. Each starts its own bank branch service,
 * drives a saga that succeeds, a saga that rolls back and a TCC through its generated client
 * (gen/<lang>), checks statuses and balances itself, and must exit 0. dtm's own SDKs run too,
 * unchanged, through Concord's dtm APIs: Go's dtmcli and dtmgrpc (examples/go/dtmclients) and
 * Python's dtmcli from PyPI (examples/python/dtm_client.py).
 *
 * The workflow mode too: dtm's Go workflow client (examples/go/dtmclients/workflow.go), and Java
 * and Python calling a TypeScript workflow service (examples/ts/workflow-service.ts, run from
 * dist/ by the test) that runs a createWorkflows transfer; each checks a workflow that succeeds
 * and one that rolls back in Concord's record of it.
 *
 * A language whose toolchain is absent is skipped, and the test's name says which toolchain is
 * missing (Go: `go`; Java: `mvn` and `java`; Python: .bin/venv with grpcio, from `make tools`, and
 * dtmcli for dtm's SDK).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startConcordProcess } from "./support/process.js";
import type { ConcordProcess } from "./support/process.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const examples = join(root, "examples");
const venvPython = join(root, ".bin/venv/bin/python");
/** The first build downloads modules (Go) or artifacts (Maven): minutes on a cold cache. */
const buildTimeoutMs = 300_000;
const runTimeoutMs = 90_000;

const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore", timeout: 30_000 }).status === 0;

/** Why each language cannot run here, or undefined when it can. */
const missing = {
  go: runs("go", ["version"]) ? undefined : "`go version` failed: Go is not installed",
  java: !runs("mvn", ["-v"])
    ? "`mvn -v` failed: Maven is not installed"
    : !runs("java", ["-version"])
      ? "`java -version` failed: Java is not installed"
      : undefined,
  python:
    existsSync(venvPython) && runs(venvPython, ["-c", "import grpc, google.protobuf"])
      ? undefined
      : "no .bin/venv with grpcio and protobuf: Python 3 is missing or `make tools` has not run",
  dtmcli:
    existsSync(venvPython) && runs(venvPython, ["-c", "import dtmcli, requests"])
      ? undefined
      : "no .bin/venv with dtm's Python SDK (dtmcli): Python 3 is missing or `make python-venv` has not run since tools/requirements.txt pinned dtmcli==1.7.7.0",
};
for (const [language, why] of Object.entries(missing)) {
  if (why) console.warn(`languages.test.ts: SKIP the ${language} example: ${why}`);
}

interface Run {
  readonly code: number | string;
  readonly output: string;
}

/** Run a command to its end (killed after timeoutMs); resolves with its exit code and output. */
function run(command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      resolve({ code: "spawn error", output: `${output}\n${String(err)}` });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? -1, output: `$ ${command} ${args.join(" ")}\n${output}` });
    });
  });
}

/**
 * Start the TypeScript workflow service (examples/ts/workflow-service.ts, compiled in dist/) that
 * the Java and Python workflow examples call; resolves once it says where it listens.
 */
async function startWorkflowService(coordinatorUrl: string): Promise<{ address: string; stop: () => Promise<void> }> {
  const script = join(root, "dist/examples/ts/workflow-service.js");
  const child = spawn(process.execPath, [script, coordinatorUrl, "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  // A child that could not be spawned may emit only "error".
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  let output = "";
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not say where it listens in 20 s:\n${output}`)), 20_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${script} ${why}:\n${output}`));
    };
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      const listening = /transfer workflow service listening on (\S+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once("error", (err) => fail(String(err)));
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal}) before it served`));
  }).catch(async (e: unknown) => {
    child.kill("SIGKILL");
    await exited;
    throw e;
  });
  return {
    address,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

let javaBuild: Promise<Run> | undefined;

/** `mvn package` in examples/java, once per run of this file (both Java tests use its classes). */
function buildJava(): Promise<Run> {
  javaBuild ??= (async () => {
    const cwd = join(examples, "java");
    // Offline first: after one online build (or `make examples-deps`) Maven needs no network.
    const offline = await run("mvn", ["-q", "-B", "-o", "package"], { cwd, timeoutMs: buildTimeoutMs });
    return offline.code === 0 ? offline : run("mvn", ["-q", "-B", "package"], { cwd, timeoutMs: buildTimeoutMs });
  })();
  return javaBuild;
}

function title(language: keyof typeof missing, what: string): string {
  const why = missing[language];
  return why ? `${language}: skipped, ${why}` : what;
}

describe.skipIf(Object.values(missing).every(Boolean))("the examples in every language call Concord", () => {
  let db: TestDatabase;
  let concord: ConcordProcess;
  let coordinator: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    concord = await startConcordProcess(["--database-url", db.url]);
    coordinator = `127.0.0.1:${concord.grpcPort}`;
  });
  afterAll(async () => {
    await concord?.stop("SIGTERM");
    await db?.drop();
  });

  it.skipIf(!!missing.go)(
    title("go", "go: the bank (dtm's own barrier on Postgres) and client run a saga, a rolled-back saga and a TCC"),
    async () => {
      const bankDb = await createTestDatabase({ empty: true });
      const dir = mkdtempSync(join(tmpdir(), "concord-go-example-"));
      try {
        const build = await run("go", ["build", "-o", join(dir, "bank-example"), "."], { cwd: join(examples, "go"), timeoutMs: buildTimeoutMs });
        expect(build.code, build.output).toBe(0);
        const example = await run(join(dir, "bank-example"), ["-coordinator", coordinator, "-port", "0", "-database-url", `${bankDb.url}?sslmode=disable`], {
          cwd: join(examples, "go"),
          timeoutMs: runTimeoutMs,
        });
        expect(example.code, example.output).toBe(0);
        expect(example.output).toContain("go example: all checks passed");
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await bankDb.drop();
      }
    },
    buildTimeoutMs + runTimeoutMs,
  );

  it.skipIf(!!missing.go)(
    title("go", "go: dtm's own SDKs (dtmcli, dtmgrpc, workflow), unchanged, run sagas, a msg, TCCs and workflows through Concord's dtm APIs"),
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "concord-go-dtmclients-"));
      try {
        const build = await run("go", ["build", "-o", join(dir, "dtmclients"), "./dtmclients"], { cwd: join(examples, "go"), timeoutMs: buildTimeoutMs });
        expect(build.code, build.output).toBe(0);
        const example = await run(
          join(dir, "dtmclients"),
          ["-dtm-http", `http://127.0.0.1:${concord.httpPort}/api/dtmsvr`, "-dtm-grpc", `127.0.0.1:${concord.grpcPort}`, "-port", "0"],
          { cwd: join(examples, "go"), timeoutMs: runTimeoutMs },
        );
        expect(example.code, example.output).toBe(0);
        expect(example.output).toContain("go dtm clients: all checks passed");
        // dtm's workflow client (client/workflow over dtm's gRPC API): a workflow, a rolled-back one
        // and one Concord resumes at the example's gRPC server.
        expect(example.output).toContain("go workflow: all checks passed");

        // The same SDKs against a coordinator that wants a token: refused without one, through with it.
        const secret = "go-dtm-clients-0123456789abcdefghijklmnop";
        writeFileSync(join(dir, "tokens.yaml"), `- {name: go-clients, token: "${secret}", scopes: [submit]}\n`);
        const secured = await startConcordProcess(["--database-url", db.url, "--tokens-file", join(dir, "tokens.yaml")]);
        try {
          const args = ["-dtm-http", `http://127.0.0.1:${secured.httpPort}/api/dtmsvr`, "-dtm-grpc", `127.0.0.1:${secured.grpcPort}`, "-port", "0"];
          const refused = await run(join(dir, "dtmclients"), args, { cwd: join(examples, "go"), timeoutMs: runTimeoutMs });
          expect(refused.code, refused.output).not.toBe(0);
          expect(refused.output).toContain("unauthenticated");
          const withToken = await run(join(dir, "dtmclients"), args, { cwd: join(examples, "go"), timeoutMs: runTimeoutMs, env: { ...process.env, CONCORD_TOKEN: secret } });
          expect(withToken.code, withToken.output).toBe(0);
          expect(withToken.output).toContain("go dtm clients: all checks passed");
        } finally {
          await secured.stop("SIGTERM");
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    buildTimeoutMs + 3 * runTimeoutMs,
  );

  it.skipIf(!!missing.java)(
    title("java", "java: the bank and client run a saga, a rolled-back saga and a TCC"),
    async () => {
      const cwd = join(examples, "java");
      const build = await buildJava();
      expect(build.code, build.output).toBe(0);
      const classpath = `target/classes:${readFileSync(join(cwd, "target/classpath.txt"), "utf8").trim()}`;
      const example = await run("java", ["-cp", classpath, "dev.concord.examples.bank.Main", "--coordinator", coordinator, "--port", "0"], {
        cwd,
        timeoutMs: runTimeoutMs,
      });
      expect(example.code, example.output).toBe(0);
      expect(example.output).toContain("java example: all checks passed");
    },
    2 * buildTimeoutMs + runTimeoutMs,
  );

  it.skipIf(!!missing.java)(
    title("java", "java: calls a TypeScript workflow service (bank.v1.TransferWorkflowService/Start): a workflow that succeeds and one that rolls back, checked through GetTransaction"),
    async () => {
      const cwd = join(examples, "java");
      const build = await buildJava(); // once for both Java tests
      expect(build.code, build.output).toBe(0);
      const classpath = `target/classes:${readFileSync(join(cwd, "target/classpath.txt"), "utf8").trim()}`;
      const service = await startWorkflowService(`http://${coordinator}`);
      try {
        const example = await run("java", ["-cp", classpath, "dev.concord.examples.bank.WorkflowMain", "--coordinator", coordinator, "--workflow-service", service.address], {
          cwd,
          timeoutMs: runTimeoutMs,
        });
        expect(example.code, example.output).toBe(0);
        expect(example.output).toContain("java workflow: all checks passed");
      } finally {
        await service.stop();
      }
    },
    2 * buildTimeoutMs + runTimeoutMs + 30_000,
  );

  it.skipIf(!!missing.python)(
    title("python", "python: the bank and client run a saga, a rolled-back saga and a TCC"),
    async () => {
      const example = await run(venvPython, ["main.py", "--coordinator", coordinator, "--port", "0"], {
        cwd: join(examples, "python"),
        timeoutMs: runTimeoutMs,
      });
      expect(example.code, example.output).toBe(0);
      expect(example.output).toContain("python example: all checks passed");
    },
    runTimeoutMs,
  );

  it.skipIf(!!missing.python)(
    title("python", "python: calls a TypeScript workflow service (bank.v1.TransferWorkflowService/Start): a workflow that succeeds and one that rolls back, checked through GetTransaction"),
    async () => {
      const service = await startWorkflowService(`http://${coordinator}`);
      try {
        const example = await run(venvPython, ["workflow.py", "--coordinator", coordinator, "--workflow-service", service.address], {
          cwd: join(examples, "python"),
          timeoutMs: runTimeoutMs,
        });
        expect(example.code, example.output).toBe(0);
        expect(example.output).toContain("python workflow: all checks passed");
      } finally {
        await service.stop();
      }
    },
    runTimeoutMs + 30_000,
  );

  it.skipIf(!!missing.dtmcli)(
    title("dtmcli", "python dtmcli: dtm's own Python SDK runs sagas, TCCs and msgs through Concord's dtm HTTP API"),
    async () => {
      const example = await run(venvPython, ["dtm_client.py", "--dtm", `http://127.0.0.1:${concord.httpPort}/api/dtmsvr`, "--port", "0"], {
        cwd: join(examples, "python"),
        timeoutMs: runTimeoutMs,
      });
      expect(example.code, example.output).toBe(0);
      expect(example.output).toContain("python dtmcli: all checks passed");
    },
    runTimeoutMs,
  );
});
