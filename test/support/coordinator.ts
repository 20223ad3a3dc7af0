/**
 * A real coordinator for scenario tests: real store (Postgres or PGlite), real dispatcher, real
 * servers on loopback ports, a generated client over gRPC. Everything is closed by `stop()`.
 */
import { advertisedAddress, resolveConfig } from "../../src/config.js";
import type { Config } from "../../src/config.js";
import { createCoordinator } from "../../src/coordinator.js";
import type { Coordinator } from "../../src/coordinator.js";
import { silentLogger, createLogger } from "../../src/logger.js";
import type { Logger } from "../../src/logger.js";
import { createServer } from "../../src/server/index.js";
import { createConcordClient } from "../../src/client/index.js";
import type { CoordinatorClient } from "../../src/client/index.js";
import { openTestStore } from "./databases.js";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { Dialect, TestStore } from "./databases.js";
import type { ResolveHost } from "../../src/protocol/index.js";
import { loopbackAllowTargets } from "./outbound.js";

export { loopbackAllowTargets };

export interface TestCoordinator {
  readonly coordinator: Coordinator;
  readonly client: CoordinatorClient;
  /** Client speaking the Connect protocol on the HTTP/1.1 port. */
  readonly connectClient: CoordinatorClient;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly testStore: TestStore;
  readonly config: Config;
  stop(): Promise<void>;
}

/** Settings that keep scenarios fast: short retries and polls. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = resolveConfig({ argv: [], env: {} });
  return {
    ...base,
    host: "127.0.0.1",
    grpcPort: 0,
    httpPort: 0,
    requestTimeoutMs: 1000,
    retry: { initialIntervalMs: 50, maxIntervalMs: 400, backoffMultiplier: 2, maxAttempts: 0 },
    leaseMs: 3000,
    pollIntervalMs: 100,
    shutdownGraceMs: 2000,
    breakerFailureThreshold: 1000,
    allowTargets: loopbackAllowTargets,
    ...overrides,
  };
}

export interface TestCoordinatorOptions {
  /** Where the coordinator logs. Default: nowhere, or stderr at debug when CONCORD_TEST_LOG is set. */
  readonly logger?: Logger;
  /** Trace into this exporter (tracing is off without it). */
  readonly spanExporter?: SpanExporter;
  /** Resolve branch host names with this (at Submit and at call time) instead of the system resolver. */
  readonly resolveHost?: ResolveHost;
}

export async function startTestCoordinator(
  dialect: Dialect,
  overrides: Partial<Config> = {},
  existing?: TestStore,
  options: TestCoordinatorOptions = {},
): Promise<TestCoordinator> {
  const testStore = existing ?? (await openTestStore(dialect));
  const config = testConfig(overrides);
  const logger = options.logger ?? (process.env.CONCORD_TEST_LOG ? createLogger("debug") : silentLogger);
  const coordinator = await createCoordinator(config, logger, {
    store: testStore.store,
    ...(options.spanExporter ? { spanExporter: options.spanExporter } : {}),
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  });
  const server = createServer({
    config,
    routes: (r) => coordinator.routes(r),
    httpRoutes: coordinator.httpRoutes,
    logger,
    closeTimeoutMs: 1000,
    authenticator: coordinator.authenticator,
    tlsWatchIntervalMs: 200,
  });
  const { grpcPort, httpPort } = await server.listen();
  // Port 0 binds a free port: branches learn the real one, as `concord serve` tells them.
  coordinator.advertise(advertisedAddress(config, grpcPort, "127.0.0.1"));
  await coordinator.start();
  const client = createConcordClient({ baseUrl: `http://127.0.0.1:${grpcPort}` });
  const connectClient = createConcordClient({ baseUrl: `http://127.0.0.1:${httpPort}`, protocol: "connect" });
  return {
    coordinator,
    client,
    connectClient,
    grpcPort,
    httpPort,
    testStore,
    config,
    async stop() {
      // Listeners stay open while the coordinator shuts down, so its last answers reach clients.
      await coordinator.stop();
      await server.close();
      if (!existing) await testStore.close();
    },
  };
}
