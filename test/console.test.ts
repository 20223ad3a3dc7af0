/**
 * The web console: its routes (the page, hashed assets, a path leaving the folder, no build),
 * then end to end in a real browser — Debian's Chromium driven by playwright-core — against a
 * real coordinator on Postgres and a fake gRPC bank. Everything an operator does happens through
 * the console; the coordinator's client only sets the scene.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { saga, TransactionStatus } from "../src/client/index.js";
import { silentLogger } from "../src/logger.js";
import { consoleRoutes, createServer, type Server } from "../src/server/index.js";
import { startTestCoordinator, testConfig, type TestCoordinator } from "./support/coordinator.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { artifacts, browserSuiteTitle, ensureBuiltConsole, hasChromium, openBrowserPage, pageTimeoutMs } from "./support/browser.js";

const screenshot = `${artifacts}/console.png`;

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A GET sent as written: fetch and URL would normalise `..` and `%2e%2e` away. */
function rawGet(port: number, path: string, method = "GET"): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("console routes", () => {
  let dir: string;
  let server: Server;
  let port: number;
  let emptyServer: Server;
  let emptyPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "concord-console-routes-"));
    await mkdir(join(dir, "site"));
    await writeFile(join(dir, "site", "index.html"), '<!doctype html><script type="module" src="/console/console-ABCDEFGH.js"></script>');
    await writeFile(join(dir, "site", "console-ABCDEFGH.js"), "console.log(1)");
    await writeFile(join(dir, "site", "console-ABCDEFGH.css"), "body{}");
    await writeFile(join(dir, "site", "notes.txt"), "plain");
    await writeFile(join(dir, "secret.txt"), "SECRET-CONTENT");
    const serve = async (routesDir: string) => {
      const s = createServer({ config: testConfig(), routes: () => {}, httpRoutes: consoleRoutes({ dir: routesDir }), logger: silentLogger, closeTimeoutMs: 1000 });
      return { s, port: (await s.listen()).httpPort };
    };
    ({ s: server, port } = await serve(join(dir, "site")));
    ({ s: emptyServer, port: emptyPort } = await serve(join(dir, "missing")));
  });
  afterAll(async () => {
    await server?.close();
    await emptyServer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves the page at / and revalidates it each time, with a policy keeping it on this origin", async () => {
    const page = await rawGet(port, "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.body).toContain("/console/console-ABCDEFGH.js");
    const head = await rawGet(port, "/", "HEAD");
    expect([head.status, head.body]).toEqual([200, ""]);
  });

  it("serves assets with their content type, hashed ones cached for good", async () => {
    const js = await rawGet(port, "/console/console-ABCDEFGH.js");
    expect([js.status, js.body, js.headers["content-type"], js.headers["cache-control"]]).toEqual([
      200,
      "console.log(1)",
      "text/javascript; charset=utf-8",
      "public, max-age=31536000, immutable",
    ]);
    const css = await rawGet(port, "/console/console-ABCDEFGH.css");
    expect([css.status, css.headers["content-type"]]).toEqual([200, "text/css; charset=utf-8"]);
    const txt = await rawGet(port, "/console/notes.txt");
    expect([txt.status, txt.headers["content-type"], txt.headers["cache-control"]]).toEqual([200, "text/plain; charset=utf-8", "no-cache"]);
    expect((await rawGet(port, "/console/nope.js")).status).toBe(404);
    expect((await rawGet(port, "/console/")).status).toBe(404);
    expect((await rawGet(port, "/console/console-ABCDEFGH.js", "POST")).status).toBe(405);
  });

  it("refuses a path that leaves the console folder", async () => {
    for (const path of ["/console/..%2fsecret.txt", "/console/%2e%2e%2fsecret.txt", "/console/..%5csecret.txt", "/console/%2fetc%2fpasswd", "/console/a%00.js"]) {
      const answer = await rawGet(port, path);
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.body).not.toContain("SECRET-CONTENT");
    }
    // Plain dot segments are resolved by the URL parser before any route sees them.
    const dots = await rawGet(port, "/console/../secret.txt");
    expect(dots.status).toBe(404);
    expect(dots.body).not.toContain("SECRET-CONTENT");
    expect((await rawGet(port, "/console/%zz")).status).toBe(400);
  });

  it("answers 503 at / with what to do when the console was not built", async () => {
    const page = await rawGet(emptyPort, "/");
    expect(page.status).toBe(503);
    expect(page.body).toContain("make build");
    expect((await rawGet(emptyPort, "/console/console-ABCDEFGH.js")).status).toBe(404);
  });
});

const browserSuite = browserSuiteTitle("console in Chromium");

describe.skipIf(!hasChromium)(browserSuite, () => {
  const run = `con${Date.now().toString(36)}`;
  const rollback = `${run}-rollback`;
  const forever = `${run}-forever`;
  const stuck = `${run}-stuck`;
  let bank: FakeBank;
  /** A branch service that is always UNAVAILABLE, on its own address so its circuit opens alone. */
  let downBank: FakeBank;
  let c: TestCoordinator;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // `make build` builds the console; a bare `vitest run` on a fresh checkout builds it here.
    await ensureBuiltConsole();
    bank = await startFakeBank({ methods: ["Refuse", "RefuseCompensate", "Stuck"] });
    downBank = await startFakeBank({ methods: ["Forever"] });
    // A circuit opens after 3 unknown outcomes in a row, and stays open through the test; the
    // bank has limits (never reached here) for the Branch services table.
    c = await startTestCoordinator("postgres", {
      breakerFailureThreshold: 3,
      breakerOpenMs: 600_000,
      services: { [bank.address]: { maxConcurrency: 4, ratePerSecond: 50, burst: 10 } },
    });
    server = createServer({
      config: c.config,
      routes: (r) => c.coordinator.routes(r),
      httpRoutes: [...c.coordinator.httpRoutes, ...consoleRoutes()],
      logger: silentLogger,
      closeTimeoutMs: 1000,
    });
    base = `http://127.0.0.1:${(await server.listen()).httpPort}`;
    ({ browser, page } = await openBrowserPage(pageErrors));

    // The scene: two successes, a saga rolled back by its second step, one whose branch is never
    // reachable (retried for ever), one that failed once and waits an hour for its next attempt.
    const payload = new TextEncoder().encode("transfer-30");
    const transfer = async (gid: string, second: string, options: Parameters<typeof saga>[2] = {}) =>
      (await saga(c.client, gid, options)).add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload).add(bank.target(second), bank.target(`${second}Compensate`), payload);
    await (await transfer(`${run}-ok-1`, "TransIn")).submit({ waitResult: true });
    await (await transfer(`${run}-ok-2`, "TransIn")).submit({ waitResult: true });
    bank.failNext("Refuse", "failure");
    await (await transfer(rollback, "Refuse")).submit({ waitResult: true }).catch(() => undefined);
    downBank.setDefault("Forever", "unavailable");
    await (await saga(c.client, forever, { retry: { initialIntervalMs: 50, maxIntervalMs: 200 } })).add(downBank.target("Forever"), "", payload).submit();
    bank.failNext("Stuck", "unavailable");
    const scheduled = c.coordinator.events.waitFor("transaction:retry-scheduled", (e) => e.gid === stuck, 10_000);
    await (await saga(c.client, stuck, { retry: { initialIntervalMs: 3_600_000, maxIntervalMs: 3_600_000 } })).add(bank.target("Stuck"), "", payload).submit();
    await scheduled;
    await downBank.waitForCalls("Forever", 3);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await c?.stop();
    await bank?.stop();
    await downBank?.stop();
  });

  const gidsListed = () => page.locator("table.transactions tbody th a").allTextContents();
  const timelineRows = async () =>
    (await page.locator("table.timeline tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")))).map(
      ([, branch, op, outcome, error]) => ({ branch, op, outcome, error }),
    );
  const detailStatus = () => page.locator(".fields .field", { hasText: "Status" }).locator(".badge").textContent();

  it("finds a rolled-back saga by status and gid prefix, and the filters survive a reload", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("heading", { name: "Concord console" }).waitFor();
    const filters = page.getByRole("form", { name: "Filter transactions" });
    await filters.getByRole("group", { name: "Status" }).getByLabel("FAILED").check();
    await filters.getByLabel("GID starts with").fill(`${run}-`);
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([rollback]);
    expect(new URL(page.url()).searchParams.getAll("status")).toEqual(["FAILED"]);
    expect(new URL(page.url()).searchParams.get("gidPrefix")).toBe(`${run}-`);
    const row = page.locator("table.transactions tbody tr", { hasText: rollback });
    expect(await row.locator(".badge").textContent()).toBe("FAILED");
    expect(await row.locator("td.reason").textContent()).toMatch(/02/);

    await page.reload();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([rollback]);
    expect(await filters.getByRole("group", { name: "Status" }).getByLabel("FAILED").isChecked()).toBe(true);
    expect(await filters.getByLabel("GID starts with").inputValue()).toBe(`${run}-`);
  });

  it("shows its detail: fields, branches and the timeline, the failed action with its error, then the compensations", async () => {
    await page.getByRole("link", { name: rollback }).click();
    await page.getByRole("heading", { name: `Transaction ${rollback}` }).waitFor();
    expect(page.url()).toContain(`#/tx/${rollback}`);
    await expect.poll(timelineRows, { timeout: pageTimeoutMs }).toHaveLength(4);
    const timeline = await timelineRows();
    expect(timeline.map((t) => `${t.branch} ${t.op} ${t.outcome}`)).toEqual(["01 action success", "02 action failure", "02 compensate success", "01 compensate success"]);
    expect(timeline[1]?.error).toContain("Refuse failure");
    expect(await detailStatus()).toBe("FAILED");
    const failedBranch = page.locator("table.branches tbody tr", { hasText: "/Refuse" }).filter({ hasText: "action" });
    expect(await failedBranch.locator("td.error-text").textContent()).toContain("Refuse failure");
    expect(await page.locator(".fields", { hasText: "Rollback reason" }).textContent()).toContain("02");
    // A finished transaction offers no actions.
    expect(await page.getByRole("button", { name: "Retry now" }).count()).toBe(0);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}/console-detail.png`, fullPage: true });
  });

  it("finds a saga that retries for ever by the stuck filter and force-stops it with a reason and an operator", async () => {
    await page.getByRole("link", { name: "← All transactions" }).click();
    const filters = page.getByRole("form", { name: "Filter transactions" });
    await filters.getByRole("button", { name: "Clear filters" }).click();
    await filters.getByLabel("GID starts with").fill(`${run}-`);
    await filters.getByLabel("or at least (attempts)").fill("2");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([forever]);
    await page.getByRole("link", { name: forever }).click();
    await page.getByRole("heading", { name: `Transaction ${forever}` }).waitFor();
    await expect.poll(detailStatus, { timeout: pageTimeoutMs }).toBe("SUBMITTED");
    expect(await page.locator("table.branches tbody tr", { hasText: "/Forever" }).locator("td.error-text").textContent()).toMatch(/Unavailable/);

    await page.getByRole("button", { name: "Force stop…" }).click();
    const form = page.getByRole("form", { name: "Force stop" });
    await form.getByLabel("Reason").fill("branch service retired");
    await form.getByLabel("Operator").fill("alice");
    await form.getByRole("button", { name: "Force stop" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Force-stopped" }).textContent(), { timeout: pageTimeoutMs }).toContain("FAILED");
    await expect.poll(detailStatus, { timeout: pageTimeoutMs }).toBe("FAILED");
    expect(await page.locator(".fields", { hasText: "Rollback reason" }).textContent()).toContain("force-stopped by alice: branch service retired");
    expect(await page.getByRole("button", { name: "Retry now" }).count()).toBe(0);
    expect((await c.client.getTransaction({ gid: forever })).transaction?.status).toBe(TransactionStatus.FAILED);
  });

  it("retries a transaction whose next attempt is an hour away, and sees it SUCCEEDED", async () => {
    await page.goto(`${base}/#/tx/${encodeURIComponent(stuck)}`);
    await page.getByRole("heading", { name: `Transaction ${stuck}` }).waitFor();
    await expect.poll(detailStatus, { timeout: pageTimeoutMs }).toBe("SUBMITTED");
    expect(await page.locator(".field", { hasText: "Next attempt" }).textContent()).toMatch(/in (\d+ min|1 h)/);
    await page.getByRole("button", { name: "Retry now" }).click();
    await expect.poll(detailStatus, { timeout: pageTimeoutMs }).toBe("SUCCEEDED");
    expect(bank.count("Stuck")).toBe(2);
    const timeline = await timelineRows();
    expect(timeline.map((t) => `${t.branch} ${t.op} ${t.outcome}`)).toEqual(["01 action unknown", "01 action success"]);
  });

  it("pages through the list with Next and Previous, keeping the tokens it came through", async () => {
    await page.goto(`${base}/?gidPrefix=${run}-&size=2`);
    const pager = page.getByRole("navigation", { name: "Pages" });
    const pageLabel = () => pager.locator(".page-label").textContent();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([stuck, forever]);
    await pager.getByRole("button", { name: "Next →" }).click();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([rollback, `${run}-ok-2`]);
    expect(await pageLabel()).toBe("Page 2");
    await pager.getByRole("button", { name: "Next →" }).click();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([`${run}-ok-1`]);
    expect(await pager.getByRole("button", { name: "Next →" }).isDisabled()).toBe(true);
    // A reload keeps the page (its token is in the URL) and the way back (in the history entry).
    await page.reload();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([`${run}-ok-1`]);
    expect(await pageLabel()).toBe("Page 3");
    await pager.getByRole("button", { name: "← Previous" }).click();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([rollback, `${run}-ok-2`]);
    await pager.getByRole("button", { name: "← Previous" }).click();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([stuck, forever]);
    expect(await pageLabel()).toBe("Page 1");
    expect(await pager.getByRole("button", { name: "← Previous" }).isDisabled()).toBe(true);
  });

  it("shows the overview: throughput, failures, stuck, in flight and the circuits; retry all now answers", async () => {
    await page.goto(`${base}/`);
    const figure = (id: string) => () => page.getByTestId(`figure-${id}`).locator(".figure-value").textContent();
    await expect.poll(figure("created"), { timeout: pageTimeoutMs }).toBe("5");
    expect(await figure("succeeded")()).toBe("3");
    expect(await figure("failed")()).toBe("2");
    expect(await figure("failure-rate")()).toBe("40.0 %");
    expect(await figure("stuck")()).toBe("0");
    expect(await figure("unfinished")()).toBe("0");
    expect(await figure("in-flight")()).toBe("0");
    const circuit = page.locator("table.circuits tbody tr", { hasText: downBank.address });
    // Authentication is off: no sign-in form, no Sign out.
    expect(await page.getByRole("form", { name: "Sign in" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await circuit.locator(".badge").textContent()).toBe("OPEN");
    const governed = page.locator("table.services tbody tr", { hasText: bank.address });
    expect(await governed.locator("td").allTextContents()).toEqual([bank.address, "4", "50/s", "10", "0", "0"]);

    await page.getByRole("button", { name: "Retry all now…" }).click();
    await page.getByRole("button", { name: "Yes, retry all now" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "made due now" }).textContent(), { timeout: pageTimeoutMs }).toBe("0 transactions were made due now.");
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([stuck, forever, rollback, `${run}-ok-2`, `${run}-ok-1`]);

    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await readFile(screenshot)).subarray(1, 4).toString()).toBe("PNG");
    expect(pageErrors).toEqual([]);
  });
});
