/**
 * The package entry (`concord`) is enough to run a coordinator inside another process.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createCoordinator, createServer, resolveConfig, silentLogger } from "../src/index.js";
import { createConcordClient } from "../src/client/index.js";

it("the package entry starts an embedded coordinator that answers over gRPC", async () => {
  const dir = await mkdtemp(join(tmpdir(), "concord-embed-"));
  const config = resolveConfig({ argv: ["--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0", "--data-dir", join(dir, "data")], env: {} });
  const coordinator = await createCoordinator(config, silentLogger);
  const server = createServer({ config, logger: silentLogger, routes: (r) => coordinator.routes(r) });
  try {
    const { grpcPort } = await server.listen();
    await coordinator.start();
    const client = createConcordClient({ baseUrl: `http://127.0.0.1:${grpcPort}` });
    expect((await client.newGid({})).gid).toMatch(/^[\w-]{22}$/);
    expect(coordinator.describeStore()).toBe(`embedded:${join(dir, "data")}`);
  } finally {
    await server.close();
    await coordinator.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
