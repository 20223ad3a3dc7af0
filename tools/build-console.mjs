// Bundles the web console (console/) into dist/console/: index.html, one script and one
// stylesheet (minified, content-hashed names, linked source maps), served by the coordinator at
// `/` and `/console/<file>` (src/server/console-routes.ts).
//
// esbuild-wasm, not esbuild: it has no per-platform native binary, so it is there after the
// `--omit=optional` install that `make run` does. Built into a fresh folder that replaces the
// old one at the end, so a failed build leaves the last good console in place and old hashed
// files do not pile up. Exits non-zero with the cause on failure.
//
// Usage: node tools/build-console.mjs [--out DIR]
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild-wasm";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "console");
const outIndex = process.argv.indexOf("--out");
const out = outIndex > 0 && process.argv[outIndex + 1] ? resolve(process.argv[outIndex + 1]) : join(root, "dist", "console");
// The page names its assets by these URLs; the coordinator serves that folder there.
const assetUrl = "/console/";

async function build() {
  const staging = `${out}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { console: join(source, "src", "main.tsx") },
      tsconfig: join(source, "tsconfig.json"),
      bundle: true,
      minify: true,
      sourcemap: "linked",
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome110", "firefox110", "safari16"],
      jsx: "automatic",
      entryNames: "[name]-[hash]",
      // React's production build; nothing else reads the environment.
      define: { "process.env.NODE_ENV": '"production"' },
      outdir: staging,
      metafile: true,
      logLevel: "silent",
    });
    for (const warning of result.warnings) console.warn(formatMessage("warning", warning));
    const outputs = Object.keys(result.metafile.outputs).map((file) => resolve(root, file));
    const script = outputs.find((file) => file.endsWith(".js"));
    const styles = outputs.find((file) => file.endsWith(".css"));
    if (!script || !styles) throw new Error(`expected one .js and one .css output, got: ${outputs.map((f) => relative(root, f)).join(", ")}`);

    const template = await readFile(join(source, "index.html"), "utf8");
    const page = replaceOnce(replaceOnce(template, '"./console.js"', `"${assetUrl}${basename(script)}"`), '"./console.css"', `"${assetUrl}${basename(styles)}"`);
    // Written last: the Makefile takes index.html as the mark of a finished build.
    await writeFile(join(staging, "index.html"), page);

    await rm(out, { recursive: true, force: true });
    await mkdir(dirname(out), { recursive: true });
    await rename(staging, out);
    const size = (file) => result.metafile.outputs[relative(root, file)]?.bytes ?? 0;
    console.log(`console built: ${relative(process.cwd(), out) || "."}/ (${basename(script)} ${kib(size(script))}, ${basename(styles)} ${kib(size(styles))})`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function replaceOnce(text, placeholder, value) {
  const parts = text.split(placeholder);
  if (parts.length !== 2) throw new Error(`console/index.html must name ${placeholder} exactly once (found ${parts.length - 1})`);
  return parts.join(value);
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function formatMessage(kind, message) {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : "";
  return `${where}${kind}: ${message.text}`;
}

try {
  await build();
} catch (err) {
  // esbuild's failures carry every error with its place; anything else is one message.
  const errors = Array.isArray(err?.errors) && err.errors.length > 0 ? err.errors.map((e) => formatMessage("error", e)) : [err instanceof Error ? err.message : String(err)];
  console.error(`building the console failed:\n${errors.join("\n")}`);
  process.exitCode = 1;
} finally {
  await esbuild.stop();
}
