/**
 * A real browser for the console tests: Debian's Chromium driven by playwright-core, and the
 * built console it opens (make test installs the first and builds the second).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);
/** Where screenshots are kept as test artifacts. */
export const artifacts = "dist/test-artifacts";
/** Waits on the page: long enough for a live refresh (5 s) and a slow machine. */
export const pageTimeoutMs = 20_000;

/** A suite's title, saying why it is skipped when there is no browser. */
export function browserSuiteTitle(title: string): string {
  return hasChromium ? title : `${title} (skipped: ${chromiumPath} is absent; make test installs Debian's chromium when it runs as root)`;
}

/** Build the console into dist/console unless a build is there. */
export async function ensureBuiltConsole(): Promise<void> {
  if (!existsSync("dist/console/index.html")) await promisify(execFile)(process.execPath, ["tools/build-console.mjs"]);
}

/**
 * Launch headless Chromium and open one page. Page errors and console errors are pushed onto
 * `errors` (console errors matching `ignore` are not: say, the 401s a test asks for).
 */
export async function openBrowserPage(errors: string[], ignore?: RegExp): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: "light" });
  page.setDefaultTimeout(pageTimeoutMs);
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !(ignore?.test(m.text()) ?? false)) errors.push(`console error: ${m.text()}`);
  });
  return { browser, page };
}
