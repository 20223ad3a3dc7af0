/**
 * Configuration, resolved once at start (flags → environment → YAML file → defaults) into a
 * frozen object that is passed down. Internal module.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Config {
  /** Interface both listeners bind to. Default `0.0.0.0`. Flag `--host`, env `CONCORD_HOST`. */
  readonly host: string;
  /** gRPC over h2c (also Connect and gRPC-Web over HTTP/2). Default 36790. `--grpc-port`, `CONCORD_GRPC_PORT`. */
  readonly grpcPort: number;
  /** HTTP/1.1: Connect JSON, gRPC-Web, `/api/ping`. Default 36789. `--http-port`, `CONCORD_HTTP_PORT`. */
  readonly httpPort: number;
  /** Address branch services can reach this coordinator at, sent as `dtm-dtm`. Default `localhost:<grpcPort>`. `--advertise-address`, `CONCORD_ADVERTISE_ADDRESS`. */
  readonly advertiseAddress: string;
  /** Postgres server URL; unset = embedded PGlite. `--database-url`, `CONCORD_DATABASE_URL`. */
  readonly databaseUrl: string | undefined;
  /** Directory of the embedded store. Default `./.concord/data`. `--data-dir`, `CONCORD_DATA_DIR`. */
  readonly dataDir: string;
  /** Connections in the Postgres pool. Default 10. `--database-pool-size`, `CONCORD_DATABASE_POOL_SIZE`. */
  readonly databasePoolSize: number;
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
