/**
 * Configuration, resolved once at start (flags → environment → YAML file → defaults) into a
 * frozen object that is passed down. Internal module.
 */
import { availableParallelism } from "node:os";
import {
  coerce,
  deepFreeze,
  field,
  kindHint,
  logLevels,
  nonEmpty,
  parseFlags,
  parseServices,
  readConfigFile,
  type FieldSpec,
  type LogLevel,
  type ServiceLimits,
  type Source,
} from "./config-values.js";

export type { LogLevel, ServiceLimits } from "./config-values.js";

export interface Config {
  /** Interface both listeners bind to. Default `0.0.0.0`. Flag `--host`, env `CONCORD_HOST`. */
  readonly host: string;
  /** gRPC over h2c (also Connect and gRPC-Web over HTTP/2). Default 36790. `--grpc-port`, `CONCORD_GRPC_PORT`. */
  readonly grpcPort: number;
  /** HTTP/1.1: Connect JSON, gRPC-Web, `/api/ping`. Default 36789. `--http-port`, `CONCORD_HTTP_PORT`. */
  readonly httpPort: number;
  /**
   * Address branch services can reach this coordinator at, sent as `dtm-dtm`. Unset: `localhost:<port>`
   * with the gRPC port actually bound (so `--grpc-port 0` advertises the real port). `--advertise-address`,
   * `CONCORD_ADVERTISE_ADDRESS`.
   */
  readonly advertiseAddress: string | undefined;
  /** Postgres server URL; unset = embedded PGlite. `--database-url`, `CONCORD_DATABASE_URL`. */
  readonly databaseUrl: string | undefined;
  /** Directory of the embedded store. Default `./.concord/data`. `--data-dir`, `CONCORD_DATA_DIR`. */
  readonly dataDir: string;
  /**
   * Coordinator instances one `concord serve` runs, as node:cluster workers sharing the listening
   * ports and the database; each is a full instance (its own lease owner, limits, breakers and
   * health). Default: the number of cores (`os.availableParallelism()`) with `databaseUrl`, 1 with
   * the embedded store, which one process only may open (more is a start-up error). 1 runs no
   * cluster at all. `--workers`, `CONCORD_WORKERS`.
   */
  readonly workers: number;
  /** Connections in the Postgres pool. Default 10. `--database-pool-size`, `CONCORD_DATABASE_POOL_SIZE`. */
  readonly databasePoolSize: number;
  /**
   * How long start-up keeps retrying a Postgres server it cannot reach (logging each attempt) before
   * giving up, ms; 0 = try once. Default 30000. `--database-connect-timeout-ms`, `CONCORD_DATABASE_CONNECT_TIMEOUT_MS`.
   */
  readonly databaseConnectTimeoutMs: number;
  /**
   * A connection that has not completed its protocol handshake (HTTP/2 preface and SETTINGS, or an
   * HTTP/1.1 request's headers) within this is closed, ms. Default 10000. `--handshake-timeout-ms`,
   * `CONCORD_HANDSHAKE_TIMEOUT_MS`.
   */
  readonly handshakeTimeoutMs: number;
  /**
   * A connection with no request in progress for this long is closed gracefully (HTTP/2 GOAWAY;
   * HTTP/1.1 keep-alive end), ms; 0 = never. Default 300000. `--idle-timeout-ms`, `CONCORD_IDLE_TIMEOUT_MS`.
   */
  readonly idleTimeoutMs: number;
  /**
   * Interval of the HTTP/2 PINGs the gRPC port sends to detect dead peers, ms; 0 = no pings.
   * Default 60000. `--keepalive-interval-ms`, `CONCORD_KEEPALIVE_INTERVAL_MS`.
   */
  readonly keepaliveIntervalMs: number;
  /**
   * How long a keepalive PING may go unanswered before the connection is dropped, ms. Default 20000.
   * `--keepalive-timeout-ms`, `CONCORD_KEEPALIVE_TIMEOUT_MS`.
   */
  readonly keepaliveTimeoutMs: number;
  /** Default `info`. `--log-level`, `CONCORD_LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** Default branch call deadline, ms. Default 3000. `--request-timeout-ms`, `CONCORD_REQUEST_TIMEOUT_MS`. */
  readonly requestTimeoutMs: number;
  /** Default retry policy (per-transaction options override it). */
  readonly retry: {
    /** Default 1000. `--retry-initial-interval-ms`, `CONCORD_RETRY_INITIAL_INTERVAL_MS`. */
    readonly initialIntervalMs: number;
    /** Default 60000. `--retry-max-interval-ms`, `CONCORD_RETRY_MAX_INTERVAL_MS`. */
    readonly maxIntervalMs: number;
    /** Default 2. `--retry-backoff-multiplier`, `CONCORD_RETRY_BACKOFF_MULTIPLIER`. */
    readonly backoffMultiplier: number;
    /** Default 0 (unlimited). `--retry-max-attempts`, `CONCORD_RETRY_MAX_ATTEMPTS`. */
    readonly maxAttempts: number;
  };
  /** How long MSG/TCC/XA may stay PREPARED before a back-check or abort, ms. Default 35000. `--timeout-to-fail-ms`, `CONCORD_TIMEOUT_TO_FAIL_MS`. */
  readonly timeoutToFailMs: number;
  /** Lease on a claimed transaction, ms; renewed while work goes on. Default 10000. `--lease-ms`, `CONCORD_LEASE_MS`. */
  readonly leaseMs: number;
  /** Scheduler poll interval, ms. Default 1000. `--poll-interval-ms`, `CONCORD_POLL_INTERVAL_MS`. */
  readonly pollIntervalMs: number;
  /** Transactions one instance works on at once (fresh submits and claimed). Default 256. `--max-in-flight`, `CONCORD_MAX_IN_FLIGHT`. */
  readonly maxInFlight: number;
  /** How long `wait_result` waits when the client sent no deadline, ms. Default 30000. `--wait-result-timeout-ms`, `CONCORD_WAIT_RESULT_TIMEOUT_MS`. */
  readonly waitResultTimeoutMs: number;
  /** On SIGTERM, how long in-flight work may run before leases are handed back, ms. Default 10000. `--shutdown-grace-ms`, `CONCORD_SHUTDOWN_GRACE_MS`. */
  readonly shutdownGraceMs: number;
  /** Consecutive unknown outcomes that open an address's circuit. Default 5. `--breaker-failure-threshold`, `CONCORD_BREAKER_FAILURE_THRESHOLD`. */
  readonly breakerFailureThreshold: number;
  /** How long an open circuit fails fast before a half-open probe, ms. Default 5000. `--breaker-open-ms`, `CONCORD_BREAKER_OPEN_MS`. */
  readonly breakerOpenMs: number;
  /**
   * A branch op tried this many times without success raises an alert: a warning in the log and,
   * with `alertWebhookUrl`, a POST; 0 = no such alert. Default 3. `--alert-after-attempts`,
   * `CONCORD_ALERT_AFTER_ATTEMPTS`.
   */
  readonly alertAfterAttempts: number;
  /**
   * Where every alert is POSTed as JSON (dtm's `AlertWebHook` body: gid, status, branch, error,
   * retry_count, plus branch_id, op, trans_type); unset = none. `--alert-webhook-url`, `CONCORD_ALERT_WEBHOOK_URL`.
   */
  readonly alertWebhookUrl: string | undefined;
  /**
   * First retry delay of transactions that come through dtm's API (HTTP, JSON-RPC, `dtmgimp.Dtm`)
   * without their own `retry_interval`, ms: dtm's `RetryInterval`. Default 10000.
   * `--dtm-retry-interval-ms`, `CONCORD_DTM_RETRY_INTERVAL_MS`.
   */
  readonly dtmRetryIntervalMs: number;
  /**
   * An unfinished transaction created longer ago than this counts as stuck (metrics, the
   * console's overview), ms. Default 300000. `--stuck-after-ms`, `CONCORD_STUCK_AFTER_MS`.
   */
  readonly stuckAfterMs: number;
  /**
   * Finished transactions are deleted this long after they finished, ms; 0 = kept for ever.
   * Default 604800000 (7 days). `--retention-ms`, `CONCORD_RETENTION_MS`.
   */
  readonly retentionMs: number;
  /** How often retention deletes a batch, ms. Default 60000. `--retention-interval-ms`, `CONCORD_RETENTION_INTERVAL_MS`. */
  readonly retentionIntervalMs: number;
  /** Transactions one retention batch deletes at most. Default 500. `--retention-batch-size`, `CONCORD_RETENTION_BATCH_SIZE`. */
  readonly retentionBatchSize: number;
  /**
   * OTLP/HTTP endpoint traces are exported to (e.g. `http://collector:4318/v1/traces`); unset = no
   * tracing (and no cost). `--otlp-endpoint`, `CONCORD_OTLP_ENDPOINT`.
   */
  readonly otlpEndpoint: string | undefined;
  /**
   * YAML list of API tokens, `{name, token, scopes: [submit|read|admin]}` (and `{name, certSubject,
   * scopes}` for client certificates); set, every API call must authenticate. Re-read on reload.
   * `--tokens-file`, `CONCORD_TOKENS_FILE`.
   */
  readonly tokensFile: string | undefined;
  /** JWKS URL bearer JWTs are verified against (OIDC); unset = JWTs not accepted. `--jwks-url`, `CONCORD_JWKS_URL`. */
  readonly jwksUrl: string | undefined;
  /** Required `iss` of a JWT. `--jwt-issuer`, `CONCORD_JWT_ISSUER`. */
  readonly jwtIssuer: string | undefined;
  /** Required `aud` of a JWT. `--jwt-audience`, `CONCORD_JWT_AUDIENCE`. */
  readonly jwtAudience: string | undefined;
  /** The JWT claim holding the scopes (a space-separated string or an array). Default `scope`. `--jwt-scopes-claim`, `CONCORD_JWT_SCOPES_CLAIM`. */
  readonly jwtScopesClaim: string;
  /** PEM certificate (chain) both listeners serve TLS with; reloaded when the file changes. `--tls-cert`, `CONCORD_TLS_CERT`. */
  readonly tlsCert: string | undefined;
  /** PEM private key of `tlsCert`. `--tls-key`, `CONCORD_TLS_KEY`. */
  readonly tlsKey: string | undefined;
  /** PEM CA bundle client certificates are verified against (mTLS); needs `tlsCert`. `--tls-client-ca`, `CONCORD_TLS_CLIENT_CA`. */
  readonly tlsClientCa: string | undefined;
  /**
   * Branch destinations that may be called: `host[:port]`, `*.domain[:port]`, `*`, an IP address
   * (`[v6]:port` with a port) or a CIDR. Unset: the production default (any host, but never
   * loopback, link-local, metadata or unspecified addresses). `--allow-targets`, `CONCORD_ALLOW_TARGETS`.
   */
  readonly allowTargets: readonly string[] | undefined;
  /** PEM CA bundle trusted for TLS branch calls (`https://`, `grpcs://`), beside the system's roots. `--branch-ca`, `CONCORD_BRANCH_CA`. */
  readonly branchCa: string | undefined;
  /** PEM client certificate presented on TLS branch calls. `--branch-client-cert`, `CONCORD_BRANCH_CLIENT_CERT`. */
  readonly branchClientCert: string | undefined;
  /** PEM private key of `branchClientCert`. `--branch-client-key`, `CONCORD_BRANCH_CLIENT_KEY`. */
  readonly branchClientKey: string | undefined;
  /** Calls in flight at once per branch service (address) unless `services` says otherwise; 0 = no cap. `--branch-max-concurrency`. */
  readonly branchMaxConcurrency: number;
  /** Calls per second per branch service (a token bucket) unless `services` says otherwise; 0 = no limit. `--branch-rate-per-second`. */
  readonly branchRatePerSecond: number;
  /** The token bucket's size (calls allowed at once after a quiet spell); 0 = one second's worth. `--branch-rate-burst`. */
  readonly branchRateBurst: number;
  /** Per branch service (`host:port`, as circuits are kept) limits over the `branch*` defaults; YAML only. */
  readonly services: Readonly<Record<string, ServiceLimits>>;
}

/**
 * Where branch services reach this coordinator (`dtm-dtm`): the configured `advertiseAddress`, or
 * `<host>:<grpcPort>` with the port actually bound (so `--grpc-port 0` advertises the real one).
 */
export function advertisedAddress(config: Pick<Config, "advertiseAddress">, grpcPort: number, host = "localhost"): string {
  return config.advertiseAddress ?? `${host}:${grpcPort}`;
}

/**
 * How long a coordinator's stop may take before the process exits anyway, ms: the grace for
 * runs, then room for the steps after it (answering waiters, handing back leases, closing the
 * store), each of which is bounded or quick while the database answers. The listeners outlive it.
 */
export function shutdownDeadlineMs(config: Pick<Config, "shutdownGraceMs" | "leaseMs">): number {
  return config.shutdownGraceMs + config.leaseMs + 15_000;
}

/** Size limits on requests (documented in the README; not configurable yet). */
export const limits = Object.freeze({
  /** Largest payload of one step or branch. */
  maxPayloadBytes: 1024 * 1024,
  /** Largest sum of header keys and values of one map (branch_headers, a step's headers). */
  maxHeadersBytes: 8 * 1024,
  /** Most entries in one header map. */
  maxHeaderEntries: 64,
  /** Most steps in one SAGA or MSG. */
  maxSteps: 1000,
  /** Largest custom_data. */
  maxCustomDataBytes: 64 * 1024,
  /** Largest request body the servers read. */
  maxRequestBytes: 16 * 1024 * 1024,
  /** Longest gid. */
  maxGidLength: 64,
});

/** Every setting, in the order `configHelp()` lists them. Flags and env names derive from the path. */
const fields: readonly FieldSpec[] = [
  field(["host"], "string", "0.0.0.0", "interface both listeners bind to"),
  field(["grpcPort"], "port", 36790, "gRPC (h2c; also Connect and gRPC-Web over HTTP/2) port"),
  field(["httpPort"], "port", 36789, "HTTP/1.1 port: Connect JSON, gRPC-Web, /api/ping"),
  field(["advertiseAddress"], "optionalString", undefined, "address branch services reach this coordinator at (default localhost:<bound gRPC port>)"),
  field(["databaseUrl"], "postgresUrl", undefined, "Postgres server URL; unset = embedded PGlite"),
  field(["dataDir"], "string", "./.concord/data", "directory of the embedded store"),
  field(
    ["workers"],
    "positiveInt",
    undefined,
    "coordinator instances (node:cluster workers) sharing the ports and the database; more than 1 needs --database-url (default: the number of cores with --database-url, else 1)",
  ),
  field(["databasePoolSize"], "positiveInt", 10, "connections in the Postgres pool (of each worker)"),
  field(["databaseConnectTimeoutMs"], "nonNegativeInt", 30000, "at start, how long to keep retrying an unreachable Postgres, ms (0 = once)"),
  field(["logLevel"], "logLevel", "info", `log level: ${logLevels.join(", ")}`, true),
  field(["requestTimeoutMs"], "positiveInt", 3000, "default branch call deadline, ms", true),
  field(["retry", "initialIntervalMs"], "positiveInt", 1000, "first retry delay, ms", true),
  field(["retry", "maxIntervalMs"], "positiveInt", 60000, "longest retry delay, ms", true),
  field(["retry", "backoffMultiplier"], "multiplier", 2, "factor the retry delay grows by per attempt, at least 1", true),
  field(["retry", "maxAttempts"], "nonNegativeInt", 0, "attempts before a saga action rolls back (others only alert); 0 = unlimited", true),
  field(["timeoutToFailMs"], "positiveInt", 35000, "how long MSG/TCC/XA may stay PREPARED, ms", true),
  field(["leaseMs"], "positiveInt", 10000, "lease on a claimed transaction, ms (at least 1000)"),
  field(["pollIntervalMs"], "positiveInt", 1000, "scheduler poll interval, ms"),
  field(["maxInFlight"], "positiveInt", 256, "transactions one instance works on at once"),
  field(["waitResultTimeoutMs"], "positiveInt", 30000, "wait_result limit when the client sent no deadline, ms"),
  field(["shutdownGraceMs"], "nonNegativeInt", 10000, "on SIGTERM, how long in-flight work may run, ms"),
  field(["breakerFailureThreshold"], "positiveInt", 5, "consecutive unknown outcomes that open a circuit"),
  field(["breakerOpenMs"], "positiveInt", 5000, "how long an open circuit fails fast, ms"),
  field(["handshakeTimeoutMs"], "positiveInt", 10000, "close a connection that has not completed its handshake in this long, ms"),
  field(["idleTimeoutMs"], "nonNegativeInt", 300000, "close a connection idle this long, ms (0 = never)"),
  field(["keepaliveIntervalMs"], "nonNegativeInt", 60000, "HTTP/2 keepalive PING interval on the gRPC port, ms (0 = off)"),
  field(["keepaliveTimeoutMs"], "positiveInt", 20000, "drop a connection whose keepalive PING is unanswered this long, ms"),
  field(["alertAfterAttempts"], "nonNegativeInt", 3, "alert (warn log, webhook) when a branch op has been tried this many times without success; 0 = off", true),
  field(["alertWebhookUrl"], "httpUrl", undefined, "POST every alert here as JSON (dtm's AlertWebHook body)"),
  field(["dtmRetryIntervalMs"], "positiveInt", 10000, "first retry delay of transactions that come through dtm's API, ms (dtm's RetryInterval)", true),
  field(["stuckAfterMs"], "positiveInt", 300000, "an unfinished transaction older than this counts as stuck (metrics, console), ms", true),
  field(["retentionMs"], "nonNegativeInt", 604800000, "delete finished transactions this long after they finished, ms (0 = keep for ever)"),
  field(["retentionIntervalMs"], "positiveInt", 60000, "how often retention deletes a batch, ms"),
  field(["retentionBatchSize"], "positiveInt", 500, "transactions one retention batch deletes at most"),
  field(["otlpEndpoint"], "httpUrl", undefined, "OTLP/HTTP endpoint to export traces to (unset = no tracing)"),
  field(["tokensFile"], "path", undefined, "YAML list of API tokens {name, token, scopes}; set, every API call must authenticate", true),
  field(["jwksUrl"], "httpUrl", undefined, "JWKS URL bearer JWTs are verified against (OIDC); unset = no JWTs", true),
  field(["jwtIssuer"], "optionalString", undefined, "required iss of a JWT", true),
  field(["jwtAudience"], "optionalString", undefined, "required aud of a JWT", true),
  field(["jwtScopesClaim"], "string", "scope", "JWT claim holding the scopes (space-separated string or array)", true),
  field(["tlsCert"], "path", undefined, "PEM certificate both listeners serve TLS with (reloaded when the file changes)"),
  field(["tlsKey"], "path", undefined, "PEM private key of --tls-cert"),
  field(["tlsClientCa"], "path", undefined, "PEM CA bundle client certificates are verified against (mTLS)"),
  field(["allowTargets"], "list", undefined, "branch destinations that may be called: host[:port], *.domain, *, IP or CIDR (unset = any but loopback, link-local, metadata)", true),
  field(["branchCa"], "path", undefined, "PEM CA bundle trusted for TLS branch calls, beside the system roots"),
  field(["branchClientCert"], "path", undefined, "PEM client certificate for TLS branch calls"),
  field(["branchClientKey"], "path", undefined, "PEM private key of --branch-client-cert"),
  field(["branchMaxConcurrency"], "nonNegativeInt", 0, "calls in flight at once per branch service (0 = no cap; services: in the file per service)", true),
  field(["branchRatePerSecond"], "nonNegativeNumber", 0, "calls per second per branch service (0 = no limit)", true),
  field(["branchRateBurst"], "nonNegativeInt", 0, "token bucket size per branch service (0 = one second's worth)", true),
];

const configFlag = "--config";
const configEnv = "CONCORD_CONFIG";
const knownFlags: ReadonlySet<string> = new Set([configFlag, ...fields.map((f) => f.flag)]);
const knownKeys: ReadonlySet<string> = new Set(fields.map((f) => f.path.join(".")));

/** The YAML file `--config` or `CONCORD_CONFIG` names, if any (the flags must parse). */
export function configFilePath(input: { argv?: readonly string[]; env?: NodeJS.ProcessEnv }): string | undefined {
  return parseFlags(input.argv ?? [], knownFlags).get(configFlag) ?? nonEmpty((input.env ?? {})[configEnv]);
}

/**
 * Resolve the configuration once: flags (`--grpc-port 1`, `--grpc-port=1`) over `CONCORD_*`
 * environment variables over the YAML file (`--config path` or `CONCORD_CONFIG`; camelCase
 * keys, `retry:` nested) over defaults. Throws an `Error` naming the flag, variable or key of the
 * first bad value; unknown flags and unknown file keys are errors too, so a typo never silently
 * falls back to a default. The result is deep-frozen.
 */
export function resolveConfig(input: { argv?: string[]; env?: NodeJS.ProcessEnv }): Config {
  const env = input.env ?? {};
  const flags = parseFlags(input.argv ?? [], knownFlags);
  const configPath = flags.get(configFlag) ?? nonEmpty(env[configEnv]);
  const file = configPath === undefined ? new Map<string, unknown>() : readConfigFile(configPath, knownKeys);

  const out: Record<string, unknown> = { retry: {} };
  /** Where each set value came from, for the checks below. */
  const sources = new Map<string, Source>();
  for (const spec of fields) {
    const key = spec.path.join(".");
    let value: unknown;
    let source: Source;
    if (flags.has(spec.flag)) {
      [value, source] = [flags.get(spec.flag), `flag ${spec.flag}`];
    } else if (nonEmpty(env[spec.env]) !== undefined) {
      [value, source] = [env[spec.env], `environment variable ${spec.env}`];
    } else if (file.has(key)) {
      [value, source] = [file.get(key), `key "${key}" in ${configPath}`];
    } else {
      [value, source] = [spec.default, "default"];
    }
    const parsed = value === undefined || value === null ? undefined : coerce(spec, value, source);
    sources.set(key, source);
    const target = spec.path.length === 2 ? (out[spec.path[0]] as Record<string, unknown>) : out;
    target[spec.path[spec.path.length - 1]!] = parsed;
  }

  out.services = file.has("services") ? parseServices(file.get("services"), `key "services" in ${configPath}`) : {};

  const config = out as unknown as Config;
  const pairs: [keyof Config, keyof Config, string, string][] = [
    ["tlsCert", "tlsKey", "--tls-cert", "--tls-key"],
    ["tlsKey", "tlsCert", "--tls-key", "--tls-cert"],
    ["tlsClientCa", "tlsCert", "--tls-client-ca", "--tls-cert"],
    ["branchClientCert", "branchClientKey", "--branch-client-cert", "--branch-client-key"],
    ["branchClientKey", "branchClientCert", "--branch-client-key", "--branch-client-cert"],
  ];
  for (const [set, needed, setFlag, neededFlag] of pairs) {
    if (config[set] !== undefined && config[needed] === undefined) throw new Error(`${setFlag} needs ${neededFlag} as well`);
  }
  if (config.retry.maxIntervalMs < config.retry.initialIntervalMs) {
    throw new Error(
      `retry max interval (${config.retry.maxIntervalMs} ms, --retry-max-interval-ms) must not be below the initial interval (${config.retry.initialIntervalMs} ms, --retry-initial-interval-ms)`,
    );
  }
  // The embedded store's data directory is locked to one process: workers need a Postgres server.
  const workers = out.workers as number | undefined;
  if (workers === undefined) {
    out.workers = config.databaseUrl === undefined ? 1 : availableParallelism();
  } else if (workers > 1 && config.databaseUrl === undefined) {
    throw new Error(
      `--workers ${workers} (${sources.get("workers")}) needs a Postgres server (--database-url): the embedded store's data directory is opened by one process only`,
    );
  }
  // A run calls a branch only while at least half a lease surely remains; a lease shorter than
  // a second would leave too little room for the round trips around each call.
  if (config.leaseMs < minLeaseMs) {
    throw new Error(`lease (${config.leaseMs} ms, --lease-ms) must be at least ${minLeaseMs} ms`);
  }
  return deepFreeze(config);
}

const minLeaseMs = 1000;

/** What a reload changes: the settings applied at once, and those that keep their value until a restart. */
export interface ConfigReload {
  /** The configuration to run with: `current` with the changed live settings of `next`. */
  readonly config: Config;
  /** Flags of the live settings that changed (`--log-level`, …; `services` for the file's map). */
  readonly applied: readonly string[];
  /** Flags of changed settings that need a restart; they keep their current value. */
  readonly needRestart: readonly string[];
}

/**
 * Merge a freshly resolved configuration into the running one: changed live settings (log level,
 * retry defaults, request timeout, tokens, JWT settings, the allow-list, branch service limits, …)
 * are taken, changed others are reported and left as they are.
 */
export function reloadConfig(current: Config, next: Config): ConfigReload {
  const merged = structuredClone(current) as unknown as Record<string, unknown> & { retry: Record<string, unknown> };
  const applied: string[] = [];
  const needRestart: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const spec of fields) {
    const read = (c: Config): unknown => (spec.path.length === 2 ? (c as unknown as Record<string, Record<string, unknown>>)[spec.path[0]]![spec.path[1]] : (c as unknown as Record<string, unknown>)[spec.path[0]]);
    if (same(read(current), read(next))) continue;
    if (!spec.live) {
      needRestart.push(spec.flag);
      continue;
    }
    applied.push(spec.flag);
    if (spec.path.length === 2) merged.retry[spec.path[1]] = read(next);
    else merged[spec.path[0]] = read(next);
  }
  if (!same(current.services, next.services)) {
    applied.push("services");
    merged.services = structuredClone(next.services);
  }
  return { config: deepFreeze(merged as unknown as Config), applied, needRestart };
}

/**
 * Help text listing every flag, its environment variable and its default, for
 * `concord serve --help` and the README table.
 */
export function configHelp(): string {
  const rows: [string, string, string][] = [
    [`${configFlag} <path>`, configEnv, "YAML file; keys are camelCase names, retry: nested"],
    ...fields.map((f): [string, string, string] => [
      `${f.flag} <${kindHint(f.kind)}>`,
      f.env,
      `${f.doc}${f.live ? " [reloadable]" : ""}${f.default === undefined ? "" : ` (default ${f.default})`}`,
    ]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = rows.map(([flag, env, doc]) => `  ${flag.padEnd(w0)}  ${env.padEnd(w1)}  ${doc}`);
  return [
    "Settings (a flag beats its environment variable, which beats the config file, which beats the default;",
    "[reloadable] ones are applied on SIGHUP or when the config file or the tokens file changes, the others need a restart):",
    "",
    ...lines,
    "",
  ].join("\n");
}
