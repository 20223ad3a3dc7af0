/**
 * Prints a buf generation template (JSON) for the plugins this machine can run: `node
 * tools/buf-template.mjs buf.gen.yaml` → `buf generate --template "<output>"`.
 *
 * Plugins are grouped by language, the folder after `gen/` or `examples/` in their `out`
 * (`gen/go/concord` → go). A language any of whose plugin executables (`local`, `protoc_path`:
 * their first word, when it is a path) is missing from .bin/ is dropped whole, with a line on
 * stderr saying so: buf then neither cleans nor rewrites its output, so its committed code stays as
 * it is and the drift check passes over it. `make tools` installs what it can (tools/tools.sh).
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { parse } from "yaml";

const file = process.argv[2];
if (!file) {
  console.error("usage: node tools/buf-template.mjs <buf.gen.yaml>");
  process.exit(2);
}
const template = parse(readFileSync(file, "utf8"));

const words = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const language = (plugin) => /^(?:gen|examples)\/([^/]+)/.exec(plugin.out)?.[1] ?? plugin.out;
/** The plugin's executables given as paths (a bare name such as `node` is looked up on PATH by buf). */
const executables = (plugin) => [words(plugin.local)[0], words(plugin.protoc_path)[0]].filter((w) => typeof w === "string" && w.includes("/"));
const runnable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const missing = new Map(); // language → missing executables
for (const plugin of template.plugins) {
  const absent = executables(plugin).filter((path) => !runnable(path));
  if (absent.length) missing.set(language(plugin), [...(missing.get(language(plugin)) ?? []), ...absent]);
}
for (const [lang, paths] of missing) {
  const outs = [...new Set(template.plugins.filter((p) => language(p) === lang).map((p) => p.out))];
  console.error(`${file}: SKIP ${lang}: ${[...new Set(paths)].join(", ")} missing (make tools) — ${outs.join(", ")} left as committed, not drift-checked`);
}
template.plugins = template.plugins.filter((plugin) => !missing.has(language(plugin)));
process.stdout.write(JSON.stringify(template));
