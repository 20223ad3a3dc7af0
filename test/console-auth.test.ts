/**
 * The web console against a coordinator that authenticates its callers (a tokens file), in a
 * real browser — Debian's Chromium driven by playwright-core: the sign-in form, a wrong token,
 * a token without the admin scope, an admin token, signing out. The token rides in a header of
 * each call, kept in sessionStorage, never in a URL.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createConcordClient, saga } from "../src/client/index.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { artifacts, browserSuiteTitle, ensureBuiltConsole, hasChromium, openBrowserPage, pageTimeoutMs } from "./support/browser.js";

const screenshot = `${artifacts}/console-sign-in.png`;
/** Where the console keeps its token (console/src/api.ts). */
const tokenKey = "concord.console.token";

const token = (name: string) => `${name}-console-token-0123456789abcdefghijklmnopqrstuvwxyz`;
const adminToken = token("ops");
const submitToken = token("orders");
const wrongToken = token("nobody");

const browserSuite = browserSuiteTitle("console sign-in in Chromium");

describe.skipIf(!hasChromium)(browserSuite, () => {
  const gid = `consign${Date.now().toString(36)}`;
  let dir: string;
  let bank: FakeBank;
  let c: TestCoordinator;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];
  /** Every request the page made: its URL and body, and the authorization it carried. */
  const requests: { url: string; body: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    await ensureBuiltConsole();
    dir = await mkdtemp(join(tmpdir(), "concord-console-auth-"));
    const tokensFile = join(dir, "tokens.yaml");
    await writeFile(tokensFile, [`- {name: ops, token: "${adminToken}", scopes: [admin]}`, `- {name: orders, token: "${submitToken}", scopes: [submit]}`].join("\n"));
    bank = await startFakeBank();
    c = await startTestCoordinator("pglite", { tokensFile });
    base = `http://127.0.0.1:${c.httpPort}`;
    const orders = createConcordClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}`, token: submitToken });
    await (await saga(orders, gid)).add(bank.target("TransOut"), bank.target("TransOutCompensate"), new TextEncoder().encode("30")).submit({ waitResult: true });

    // Chromium logs every 401 and 403 answer; those are the refusals this test asks for.
    ({ browser, page } = await openBrowserPage(pageErrors, /status of 40[13]/));
    page.on("request", (r) => requests.push({ url: r.url(), body: r.postData() ?? "", authorization: r.headers()["authorization"] }));
  });

  afterAll(async () => {
    await browser?.close();
    await c?.stop();
    await bank?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const signInForm = () => page.getByRole("form", { name: "Sign in" });
  const signInWith = async (secret: string) => {
    await signInForm().getByLabel("API token").fill(secret);
    await signInForm().getByRole("button", { name: "Sign in" }).click();
  };
  // Evaluated in the page, as text: the tests are compiled without the DOM's types.
  const storedToken = () => page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(tokenKey)})`);
  const gidsListed = () => page.locator("table.transactions tbody th a").allTextContents();

  it("asks for a token, in a password field, saying which scope and where tokens come from", async () => {
    await page.goto(`${base}/`);
    await signInForm().waitFor();
    const field = signInForm().getByLabel("API token");
    expect(await field.getAttribute("type")).toBe("password");
    expect(await field.getAttribute("name")).toBeNull();
    expect(await page.getByText("needs a token with the admin scope").textContent()).toMatch(/tokens file.*JWT from your identity provider/);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Overview" }).count()).toBe(0);
    expect(await page.title()).toBe("Sign in · Concord console");
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await readFile(screenshot)).subarray(1, 4).toString()).toBe("PNG");
  });

  it("refuses a wrong token with a message and stays on the form", async () => {
    await signInWith(wrongToken);
    await page.getByRole("alert").filter({ hasText: "That token was not accepted." }).waitFor();
    expect(await signInForm().isVisible()).toBe(true);
    expect(await signInForm().getByLabel("API token").getAttribute("aria-invalid")).toBe("true");
    expect(await storedToken()).toBeNull();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
  });

  it("tells a token without the admin scope so, and offers to sign in with another", async () => {
    await signInWith(submitToken);
    await page.getByRole("heading", { name: "Admin scope needed" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("This token lacks the admin scope");
    expect(await storedToken()).toBe(submitToken);
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Sign in with another token" }).click();
    await signInForm().waitFor();
    expect(await storedToken()).toBeNull();
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("shows the overview and the transactions with an admin token, also after a reload", async () => {
    await signInWith(adminToken);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await expect.poll(gidsListed, { timeout: pageTimeoutMs }).toEqual([gid]);
    await expect.poll(() => page.getByTestId("figure-created").locator(".figure-value").textContent(), { timeout: pageTimeoutMs }).toBe("1");
    expect(await storedToken()).toBe(adminToken);
    expect(await page.evaluate<string>('Object.values(localStorage).join("\\n")')).not.toContain(adminToken);
    expect(await page.getByRole("form", { name: "Sign in" }).count()).toBe(0);

    // The token lasts as long as the tab: a reload (a detail's URL) keeps the session.
    await page.goto(`${base}/#/tx/${gid}`);
    await page.reload();
    await page.getByRole("heading", { name: `Transaction ${gid}` }).waitFor();
    await expect.poll(() => page.locator(".fields .field", { hasText: "Status" }).locator(".badge").textContent(), { timeout: pageTimeoutMs }).toBe("SUCCEEDED");
    const adminCalls = requests.filter((r) => r.url.includes("/concord.v1.AdminService/") && r.authorization === `Bearer ${adminToken}`);
    expect(adminCalls.map((r) => new URL(r.url).pathname)).toEqual(expect.arrayContaining(["/concord.v1.AdminService/GetOverview", "/concord.v1.AdminService/ListTransactions", "/concord.v1.AdminService/InspectTransaction"]));
  });

  it("signs out: the token is forgotten and the form is back, with no call made for it", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signInForm().waitFor();
    expect(await storedToken()).toBeNull();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: `Transaction ${gid}` }).count()).toBe(0);
    // Nothing polls behind the form.
    const before = requests.length;
    await page.waitForTimeout(6000);
    expect(requests.slice(before).map((r) => r.url)).toEqual([]);
  });

  it("forgets a token the coordinator no longer accepts (expired, removed) and asks again", async () => {
    await page.evaluate(`sessionStorage.setItem(${JSON.stringify(tokenKey)}, ${JSON.stringify(wrongToken)})`);
    await page.reload();
    await signInForm().waitFor();
    expect(await page.getByText("no longer accepted").textContent()).toContain("sign in again");
    expect(await storedToken()).toBeNull();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    // The page was a transaction's detail: it read it with the stale token, and is there again after signing in.
    expect(requests.some((r) => r.authorization === `Bearer ${wrongToken}` && r.url.endsWith("/concord.v1.AdminService/InspectTransaction"))).toBe(true);
    expect(new URL(page.url()).hash).toBe(`#/tx/${gid}`);
    await signInWith(adminToken);
    await page.getByRole("heading", { name: `Transaction ${gid}` }).waitFor();
  });

  it("never put a token in a URL or a request body", () => {
    expect(requests.length).toBeGreaterThan(5);
    for (const r of requests) {
      for (const secret of [adminToken, submitToken, wrongToken]) {
        expect(r.url, r.url).not.toContain(secret);
        expect(r.url, r.url).not.toContain(encodeURIComponent(secret));
        expect(r.body, r.url).not.toContain(secret);
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
