// For tools/dtm-suite.sh: reads the `go test -json` events of dtm's suite (all the runs of one
// `make dtm-suite`, appended to one file) and says where the run stands.
//
//   node tools/dtm-suite-report.mjs remaining <all.txt> <skipped.tsv> <events.json>
//     prints the tests still to run, one a line: listed in all.txt, not skipped by the script,
//     without a result yet and not the one that took the test binary down (a panic or os.Exit
//     in a test ends the binary; the script then runs the rest again).
//   node tools/dtm-suite-report.mjs summary <all.txt> <skipped.tsv> <events.json> <out-dir>
//     writes <out-dir>/results.tsv (every test: result, why) and <out-dir>/failures.txt (the
//     failed tests), and prints `dtm suite: N passed, N failed, N skipped`.
//
// Only top-level tests count (dtm's suite has no subtests).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [mode, allFile, skippedFile, eventsFile, outDir] = process.argv.slice(2);

const lines = (file) => readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
const all = lines(allFile);
const skipped = new Map(lines(skippedFile).map((l) => l.split("\t")).map(([name, why]) => [name, why ?? ""]));

// name -> "pass" | "fail" | "skip" | "run" (started, no result: it took the binary down)
const state = new Map();
let text = "";
try {
  text = readFileSync(eventsFile, "utf8");
} catch {
  // no run yet
}
for (const line of text.split("\n")) {
  if (!line.startsWith("{")) continue;
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    continue;
  }
  const name = event.Test;
  if (!name || name.includes("/")) continue;
  if (event.Action === "run" && !state.has(name)) state.set(name, "run");
  else if (event.Action === "pass" || event.Action === "fail" || event.Action === "skip") state.set(name, event.Action);
}

if (mode === "remaining") {
  for (const name of all) if (!skipped.has(name) && !state.has(name)) console.log(name);
} else if (mode === "summary") {
  let passed = 0;
  let failed = 0;
  let skippedCount = 0;
  const rows = [];
  const failures = [];
  for (const name of all) {
    let result;
    let why = "";
    if (skipped.has(name)) {
      result = "skipped";
      why = skipped.get(name);
    } else {
      const s = state.get(name);
      if (s === "pass") result = "passed";
      else if (s === "skip") {
        result = "skipped";
        why = "skipped by the test itself";
      } else {
        result = "failed";
        why = s === "fail" ? "" : s === "run" ? "took the test binary down (panic, os.Exit or timeout)" : "not run (the time limit ran out first)";
      }
    }
    if (result === "passed") passed++;
    else if (result === "failed") {
      failed++;
      failures.push(why ? `${name}\t${why}` : name);
    } else skippedCount++;
    rows.push(`${name}\t${result}\t${why}`);
  }
  writeFileSync(join(outDir, "results.tsv"), rows.join("\n") + "\n");
  writeFileSync(join(outDir, "failures.txt"), failures.length ? failures.join("\n") + "\n" : "");
  console.log(`dtm suite: ${passed} passed, ${failed} failed, ${skippedCount} skipped`);
} else {
  console.error(`usage: dtm-suite-report.mjs remaining|summary <all.txt> <skipped.tsv> <events.json> [<out-dir>]`);
  process.exit(2);
}
