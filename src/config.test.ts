import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { configHelp, reloadConfig, resolveConfig } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "concord-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeYaml(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("resolveConfig", () => {
  it("uses the documented defaults when nothing is given", () => {
    const config = resolveConfig({ argv: [], env: {} });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      grpcPort: 36790,
      httpPort: 36789,
      advertiseAddress: undefined,
      databaseUrl: undefined,
      databaseConnectTimeoutMs: 30000,
      handshakeTimeoutMs: 10000,
      idleTimeoutMs: 300000,
      keepaliveIntervalMs: 60000,
      keepaliveTimeoutMs: 20000,
      dataDir: "./.concord/data",
      logLevel: "info",
      requestTimeoutMs: 3000,
      retry: { initialIntervalMs: 1000, maxIntervalMs: 60000, backoffMultiplier: 2, maxAttempts: 0 },
      shutdownGraceMs: 10000,
    });
  });

  it("takes a flag over its env var, the env var over the file, and the file over the default", () => {
    const file = writeYaml("precedence.yaml", "grpcPort: 3\nhttpPort: 3\nleaseMs: 3000\nretry:\n  maxAttempts: 7\n");
    const config = resolveConfig({
      argv: ["--grpc-port", "1", "--config", file],
      env: { CONCORD_GRPC_PORT: "2", CONCORD_HTTP_PORT: "2" },
    });
    expect(config.grpcPort).toBe(1);
    expect(config.httpPort).toBe(2);
    expect(config.leaseMs).toBe(3000);
    expect(config.retry.maxAttempts).toBe(7);
    expect(config.pollIntervalMs).toBe(1000);
  });

  it("reads --name=value as well as --name value", () => {
    const config = resolveConfig({ argv: ["--grpc-port=5", "--retry-backoff-multiplier=1.5"], env: {} });
    expect(config.grpcPort).toBe(5);
    expect(config.retry.backoffMultiplier).toBe(1.5);
  });

  it("finds the file through CONCORD_CONFIG", () => {
    const file = writeYaml("env.yaml", "databaseUrl: postgres://x/y\nlogLevel: debug\n");
    const config = resolveConfig({ env: { CONCORD_CONFIG: file } });
    expect(config.databaseUrl).toBe("postgres://x/y");
    expect(config.logLevel).toBe("debug");
  });

  it("leaves the advertised address to be derived from the bound gRPC port unless it is set", () => {
    expect(resolveConfig({ argv: ["--grpc-port", "4000"], env: {} }).advertiseAddress).toBeUndefined();
    expect(resolveConfig({ env: { CONCORD_ADVERTISE_ADDRESS: "coord:1" } }).advertiseAddress).toBe("coord:1");
  });

  it("treats an empty env var as unset", () => {
    expect(resolveConfig({ env: { CONCORD_DATABASE_URL: "", CONCORD_GRPC_PORT: "" } })).toMatchObject({ databaseUrl: undefined, grpcPort: 36790 });
  });

  it("returns a deeply frozen object", () => {
    const config = resolveConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.retry)).toBe(true);
  });

  it("names the flag, env var or file key of a bad value", () => {
    expect(() => resolveConfig({ argv: ["--grpc-port", "70000"] })).toThrow(/flag --grpc-port.*0 to 65535/);
    expect(() => resolveConfig({ argv: ["--http-port", "1.5"] })).toThrow(/--http-port/);
    expect(() => resolveConfig({ env: { CONCORD_LEASE_MS: "-1" } })).toThrow(/CONCORD_LEASE_MS.*positive integer/);
    expect(() => resolveConfig({ argv: ["--lease-ms", "500"] })).toThrow(/--lease-ms.*at least 1000/);
    expect(() => resolveConfig({ env: { CONCORD_LOG_LEVEL: "loud" } })).toThrow(/CONCORD_LOG_LEVEL.*debug, info, warn, error/);
    expect(() => resolveConfig({ argv: ["--retry-backoff-multiplier", "0.5"] })).toThrow(/--retry-backoff-multiplier/);
    const file = writeYaml("bad.yaml", "retry:\n  maxAttempts: lots\n");
    expect(() => resolveConfig({ argv: ["--config", file] })).toThrow(/key "retry.maxAttempts" in .*bad.yaml/);
  });

  it("rejects unknown flags, unknown file keys, flags without a value and stray arguments", () => {
    expect(() => resolveConfig({ argv: ["--grpc-prot", "1"] })).toThrow(/unknown flag --grpc-prot/);
    expect(() => resolveConfig({ argv: ["--grpc-port"] })).toThrow(/--grpc-port needs a value/);
    expect(() => resolveConfig({ argv: ["--grpc-port", "--http-port", "1"] })).toThrow(/--grpc-port needs a value/);
    expect(() => resolveConfig({ argv: ["serve"] })).toThrow(/unexpected argument "serve"/);
    const file = writeYaml("unknown.yaml", "grpcProt: 1\n");
    expect(() => resolveConfig({ argv: ["--config", file] })).toThrow(/unknown key "grpcProt"/);
    expect(() => resolveConfig({ argv: ["--config", join(dir, "missing.yaml")] })).toThrow(/cannot read config file/);
  });

  it("accepts a database URL with the postgres: or postgresql: scheme", () => {
    expect(resolveConfig({ argv: ["--database-url", "postgresql://u:p@db:5432/concord"] }).databaseUrl).toBe("postgresql://u:p@db:5432/concord");
    expect(resolveConfig({ env: { CONCORD_DATABASE_URL: "postgres:///concord?host=/var/run/postgresql" } }).databaseUrl).toBe(
      "postgres:///concord?host=/var/run/postgresql",
    );
  });

  it("rejects a database URL that is not a Postgres URL, naming the flag, env var or file key", () => {
    expect(() => resolveConfig({ argv: ["--database-url", "not a url"] })).toThrow(/flag --database-url: expected a Postgres URL.*not a URL/);
    expect(() => resolveConfig({ env: { CONCORD_DATABASE_URL: "mysql://u:p@db/concord" } })).toThrow(
      /environment variable CONCORD_DATABASE_URL: expected a Postgres URL.*scheme is "mysql:"/,
    );
    const file = writeYaml("bad-url.yaml", "databaseUrl: http://db:5432/concord\n");
    expect(() => resolveConfig({ argv: ["--config", file] })).toThrow(/key "databaseUrl" in .*bad-url.yaml: expected a Postgres URL.*"http:"/);
  });

  it("never echoes the password of a rejected database URL", () => {
    for (const url of ["mysql://admin:hunter2secret@db/concord", "admin:hunter2secret@db/concord", "postgres//admin:hunter2secret@db"]) {
      let message = "";
      try {
        resolveConfig({ argv: ["--database-url", url] });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/--database-url/);
      expect(message).not.toContain("hunter2secret");
    }
  });

  it("rejects a retry max interval below the initial interval", () => {
    expect(() => resolveConfig({ argv: ["--retry-initial-interval-ms", "5000", "--retry-max-interval-ms", "1000"] })).toThrow(
      /--retry-max-interval-ms/,
    );
  });
});

describe("security and governance settings", () => {
  it("reads the allow-list from a comma-separated flag or a YAML list, and refuses empty entries", () => {
    expect(resolveConfig({ argv: ["--allow-targets", "payments:50051, *.svc.cluster.local,10.0.0.0/8"] }).allowTargets).toEqual([
      "payments:50051",
      "*.svc.cluster.local",
      "10.0.0.0/8",
    ]);
    const file = writeYaml("allow.yaml", "allowTargets:\n  - bank:80\n  - 192.168.0.0/16\n");
    expect(resolveConfig({ argv: ["--config", file] }).allowTargets).toEqual(["bank:80", "192.168.0.0/16"]);
    expect(resolveConfig({}).allowTargets).toBeUndefined();
    expect(() => resolveConfig({ env: { CONCORD_ALLOW_TARGETS: "a:1,,b:2" } })).toThrow(/CONCORD_ALLOW_TARGETS.*without empty entries/);
  });

  it("reads per-service limits from the file and names the service and key of a bad one", () => {
    const file = writeYaml("services.yaml", 'services:\n  "payments:50051": {maxConcurrency: 2, ratePerSecond: 2.5, burst: 5}\n  "[::1]:9000": {}\n');
    expect(resolveConfig({ argv: ["--config", file] }).services).toEqual({ "payments:50051": { maxConcurrency: 2, ratePerSecond: 2.5, burst: 5 }, "[::1]:9000": {} });
    expect(resolveConfig({}).services).toEqual({});
    const bad = writeYaml("services-bad.yaml", 'services:\n  "payments:50051": {maxConcurrency: 1.5}\n');
    expect(() => resolveConfig({ argv: ["--config", bad] })).toThrow(/service "payments:50051", "maxConcurrency": expected an integer/);
    const unknown = writeYaml("services-unknown.yaml", 'services:\n  "payments:50051": {limit: 1}\n');
    expect(() => resolveConfig({ argv: ["--config", unknown] })).toThrow(/unknown key "limit"/);
    const noPort = writeYaml("services-noport.yaml", "services:\n  payments: {burst: 1}\n");
    expect(() => resolveConfig({ argv: ["--config", noPort] })).toThrow(/host:port/);
  });

  it("wants a TLS key with a certificate, and a certificate under a client CA", () => {
    expect(() => resolveConfig({ argv: ["--tls-cert", "c.pem"] })).toThrow("--tls-cert needs --tls-key as well");
    expect(() => resolveConfig({ argv: ["--tls-client-ca", "ca.pem"] })).toThrow("--tls-client-ca needs --tls-cert as well");
    expect(() => resolveConfig({ argv: ["--branch-client-key", "k.pem"] })).toThrow("--branch-client-key needs --branch-client-cert as well");
    expect(resolveConfig({ argv: ["--tls-cert", "c.pem", "--tls-key", "k.pem"] })).toMatchObject({ tlsCert: "c.pem", tlsKey: "k.pem" });
  });
  it("runs one worker per core with a Postgres server, one with the embedded store, and refuses more there", () => {
    expect(resolveConfig({ argv: [], env: {} }).workers).toBe(1);
    expect(resolveConfig({ argv: ["--database-url", "postgres://db/c"], env: {} }).workers).toBe(availableParallelism());
    expect(resolveConfig({ argv: ["--database-url", "postgres://db/c", "--workers", "3"], env: {} }).workers).toBe(3);
    expect(resolveConfig({ argv: ["--workers", "1"], env: {} }).workers).toBe(1);
    expect(resolveConfig({ argv: ["--database-url", "postgres://db/c"], env: { CONCORD_WORKERS: "4" } }).workers).toBe(4);
    expect(resolveConfig({ argv: ["--config", writeYaml("workers.yaml", "databaseUrl: postgres://db/c\nworkers: 5\n")], env: {} }).workers).toBe(5);
    expect(() => resolveConfig({ argv: ["--workers", "2"], env: {} })).toThrow(
      "--workers 2 (flag --workers) needs a Postgres server (--database-url): the embedded store's data directory is opened by one process only",
    );
    expect(() => resolveConfig({ argv: [], env: { CONCORD_WORKERS: "2" } })).toThrow("--workers 2 (environment variable CONCORD_WORKERS) needs a Postgres server");
    expect(() => resolveConfig({ argv: ["--workers", "0"], env: {} })).toThrow('invalid value "0" for flag --workers: expected a positive integer');
    // The derived default is the same at every resolve: a reload never sees it change.
    const config = resolveConfig({ argv: ["--database-url", "postgres://db/c"], env: {} });
    expect(reloadConfig(config, resolveConfig({ argv: ["--database-url", "postgres://db/c"], env: {} })).needRestart).toEqual([]);
  });
});

describe("reloadConfig", () => {
  it("applies changed live settings and keeps, and names, the ones that need a restart", () => {
    const current = resolveConfig({ argv: ["--log-level", "info", "--grpc-port", "1"] });
    const next = resolveConfig({ argv: ["--log-level", "debug", "--grpc-port", "2", "--retry-max-attempts", "4", "--allow-targets", "bank:80"] });
    const { config, applied, needRestart } = reloadConfig(current, next);
    expect(applied).toEqual(["--log-level", "--retry-max-attempts", "--allow-targets"]);
    expect(needRestart).toEqual(["--grpc-port"]);
    expect(config).toMatchObject({ logLevel: "debug", grpcPort: 1, allowTargets: ["bank:80"], retry: { maxAttempts: 4, initialIntervalMs: 1000 } });
    expect(Object.isFrozen(config.retry)).toBe(true);
    expect(reloadConfig(config, config)).toMatchObject({ applied: [], needRestart: [] });
  });
});

describe("configHelp", () => {
  it("lists every flag with its env var", () => {
    const help = configHelp();
    for (const line of ["--grpc-port", "CONCORD_GRPC_PORT", "36790", "--retry-max-attempts", "CONCORD_RETRY_MAX_ATTEMPTS", "--config", "CONCORD_CONFIG"]) {
      expect(help).toContain(line);
    }
  });
});
