/**
 * The operations guide (docs/operations.md), its Grafana dashboard (docs/grafana/concord.json) and
 * its Prometheus alert rules (docs/prometheus/concord-alerts.yml), checked against what a real
 * coordinator exports at /metrics after a few transactions: every PromQL expression parses and
 * names only metrics that exist, the dashboard has what Grafana needs to import it, every rule
 * has what Alertmanager routes on, and the guide mentions every concord_* metric. Rename a
 * metric in src/metrics.ts and this fails until the guide, the dashboard and the rules follow.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parser } from "@prometheus-io/lezer-promql";
import pg from "pg";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saga, TransactionFailedError, TransactionStatus } from "../src/client/index.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { parsePrometheusText } from "./support/prometheus-text.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const guide = readFileSync(`${root}/docs/operations.md`, "utf8");
const dashboardText = readFileSync(`${root}/docs/grafana/concord.json`, "utf8");
const rulesText = readFileSync(`${root}/docs/prometheus/concord-alerts.yml`, "utf8");

/** One metric family of a scrape: its name, its type (upper case) and its series. */
interface MetricFamily {
  readonly name: string;
  readonly type: string;
  readonly metrics: readonly unknown[];
}

async function scrape(url: string): Promise<MetricFamily[]> {
  const metrics = parsePrometheusText(await (await fetch(url)).text());
  return Object.entries(metrics).map(([name, m]) => ({ name, type: m.type.toUpperCase(), metrics: m.data }));
}

/** Series Prometheus makes up for every target; no exporter has them. */
const prometheusSeries = new Set(["up"]);

/** Grafana's built-in interval variables, replaced by a duration so the expression is PromQL. */
const grafanaIntervals = /\$\{?__(rate_interval|interval|range)\}?/g;

/** Every series name a scrape offers: a family's name, and a histogram's or summary's suffixed series. */
function seriesNames(families: readonly MetricFamily[]): Set<string> {
  const names = new Set<string>();
  for (const f of families) {
    names.add(f.name);
    if (f.type === "HISTOGRAM") for (const s of ["_bucket", "_sum", "_count"]) names.add(f.name + s);
    if (f.type === "SUMMARY") for (const s of ["_sum", "_count"]) names.add(f.name + s);
  }
  return names;
}

function unquote(literal: string): string {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  return literal.slice(1, -1); // 'single' (no escapes used here) or `raw`
}

/**
 * Parse one expression with Prometheus's own grammar: its syntax errors, and the metric names its
 * selectors name (`name{…}` or `{__name__="name"}`). A selector without an exact name is an
 * error too: it could not be checked.
 */
function analyse(expr: string): { errors: string[]; metrics: string[] } {
  const text = expr.replace(grafanaIntervals, "5m");
  const tree = parser.parse(text);
  const errors: string[] = [];
  const metrics: string[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(`syntax error at ${ref.from}: ${JSON.stringify(text.slice(Math.max(0, ref.from - 20), ref.from + 20))}`);
      if (ref.name !== "VectorSelector") return;
      const node = ref.node;
      const names: string[] = [];
      let unchecked = false;
      const identifier = node.getChild("Identifier");
      if (identifier) names.push(text.slice(identifier.from, identifier.to));
      const matchers = node.getChild("LabelMatchers");
      for (const m of matchers ? [matchers.firstChild] : []) {
        for (let child = m; child; child = child.nextSibling) {
          if (child.name === "QuotedLabelName") names.push(unquote(text.slice(child.from, child.to)));
          if (child.name !== "UnquotedLabelMatcher" && child.name !== "QuotedLabelMatcher") continue;
          const label = child.getChild("LabelName") ?? child.getChild("QuotedLabelName");
          const labelText = label ? text.slice(label.from, label.to) : "";
          if ((label?.name === "QuotedLabelName" ? unquote(labelText) : labelText) !== "__name__") continue;
          const value = child.getChild("StringLiteral");
          if (!child.getChild("MatchOp")?.getChild("EqlSingle") || !value) {
            unchecked = true;
            errors.push(`a __name__ matcher other than = cannot be checked: ${text.slice(child.from, child.to)}`);
          } else {
            names.push(unquote(text.slice(value.from, value.to)));
          }
        }
      }
      if (names.length === 0 && !unchecked) errors.push(`a selector without a metric name cannot be checked: ${text.slice(node.from, node.to)}`);
      metrics.push(...names);
    },
  });
  return { errors, metrics };
}

/** What is wrong with `exprs` against the series a scrape offers: syntax errors and unknown metrics, by where. */
function problems(exprs: readonly { where: string; expr: string }[], known: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const { where, expr } of exprs) {
    const { errors, metrics } = analyse(expr);
    for (const e of errors) found.push(`${where}: ${e}`);
    for (const m of metrics) if (!known.has(m) && !prometheusSeries.has(m)) found.push(`${where}: no metric ${m} in the scrape`);
  }
  return found;
}

interface GrafanaPanel {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly title?: unknown;
  readonly gridPos?: { h?: unknown; w?: unknown; x?: unknown; y?: unknown };
  readonly datasource?: { type?: unknown; uid?: unknown };
  readonly targets?: readonly { expr?: unknown; refId?: unknown; datasource?: { uid?: unknown } }[];
  readonly panels?: readonly GrafanaPanel[];
}
interface GrafanaVariable {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly query?: unknown;
  readonly definition?: unknown;
}
interface GrafanaDashboard {
  readonly uid?: unknown;
  readonly title?: unknown;
  readonly schemaVersion?: unknown;
  readonly panels?: readonly GrafanaPanel[];
  readonly templating?: { list?: readonly GrafanaVariable[] };
}

const dashboard = JSON.parse(dashboardText) as GrafanaDashboard;

/** Every panel, rows' nested panels (collapsed rows keep theirs inside) included. */
function allPanels(panels: readonly GrafanaPanel[] = []): GrafanaPanel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels)]);
}

function dashboardExprs(): { where: string; expr: string }[] {
  const exprs: { where: string; expr: string }[] = [];
  for (const panel of allPanels(dashboard.panels)) {
    for (const t of panel.targets ?? []) exprs.push({ where: `panel ${String(panel.title)} ${String(t.refId)}`, expr: String(t.expr) });
  }
  // label_values(<selector>, <label>): the selector must name an exported metric too.
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const query = typeof v.query === "string" ? v.query : String((v.query as { query?: unknown } | undefined)?.query);
    const selector = /^label_values\((.+),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(query.trim());
    if (selector) exprs.push({ where: `variable ${String(v.name)}`, expr: selector[1]! });
    else exprs.push({ where: `variable ${String(v.name)}`, expr: `not label_values(metric, label): ${query}` });
  }
  return exprs;
}

interface AlertRule {
  readonly alert?: unknown;
  readonly record?: unknown;
  readonly expr?: unknown;
  readonly for?: unknown;
  readonly labels?: { severity?: unknown };
  readonly annotations?: { summary?: unknown; description?: unknown };
}
const rules = parseYaml(rulesText) as { groups?: readonly { name?: unknown; rules?: readonly AlertRule[] }[] };
const allRules = (rules.groups ?? []).flatMap((g) => g.rules ?? []);

/** The guide's fenced code blocks in `language`. */
function guideBlocks(language: string): string[] {
  return [...guide.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

describe("operations guide, dashboard and alert rules", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let families: MetricFamily[];
  let known: Set<string>;

  beforeAll(async () => {
    bank = await startFakeBank();
    // An alert at the first failed attempt, a circuit that opens at the first unknown outcome
    // and lets a probe through soon after, and a cap on every branch service (so calls are
    // governed and their waits timed): one short run of each kind gives every metric a series.
    c = await startTestCoordinator("postgres", { alertAfterAttempts: 1, breakerFailureThreshold: 1, breakerOpenMs: 50, branchMaxConcurrency: 64 });
    const transfer = async (gid: string) =>
      (await saga(c.client, gid))
        .add(bank.target("TransOut"), bank.target("TransOutCompensate"), new TextEncoder().encode("out"))
        .add(bank.target("TransIn"), bank.target("TransInCompensate"), new TextEncoder().encode("in"));

    expect((await (await transfer("ops-ok")).submit({ waitResult: true })).status).toBe(TransactionStatus.SUCCEEDED);
    bank.failNext("TransIn", "failure");
    const rolledBack = await (await transfer("ops-rollback")).submit({ waitResult: true }).catch((e: unknown) => e);
    expect(rolledBack).toBeInstanceOf(TransactionFailedError);
    bank.failNext("TransOut", "unavailable");
    expect((await (await transfer("ops-retried")).submit({ waitResult: true, timeoutMs: 20_000 })).status).toBe(TransactionStatus.SUCCEEDED);

    expect((await fetch(`http://127.0.0.1:${c.httpPort}/metrics`)).status).toBe(200);
    families = await scrape(`http://127.0.0.1:${c.httpPort}/metrics`);
    known = seriesNames(families);
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });

  it("scrapes Concord's metrics and the process defaults, the same at dtm's /api/metrics", async () => {
    const names = families.map((f) => f.name);
    expect(names.filter((n) => n.startsWith("concord_")).length).toBeGreaterThanOrEqual(10);
    expect(names).toEqual(expect.arrayContaining(["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_p99_seconds"]));
    // Histograms have series, so the quantile panels and rules are checked against real _bucket series.
    for (const f of families.filter((f) => f.name.startsWith("concord_") && f.type === "HISTOGRAM")) {
      expect(f.metrics.length, `${f.name} has no series`).toBeGreaterThan(0);
    }
    const dtm = await scrape(`http://127.0.0.1:${c.httpPort}/api/metrics`);
    expect(dtm.map((f) => f.name).sort()).toEqual([...names].sort());
  });

  it("every PromQL expression of the dashboard parses and names exported metrics", () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(20);
    expect(problems(exprs, known)).toEqual([]);
  });

  it("every alert rule's expression parses and names exported metrics", () => {
    const exprs = allRules.map((r) => ({ where: `rule ${String(r.alert ?? r.record)}`, expr: String(r.expr) }));
    expect(exprs.length).toBeGreaterThan(5);
    expect(problems(exprs, known)).toEqual([]);
  });

  it("every promql example of the guide (one expression a line) parses and names exported metrics", () => {
    const exprs = guideBlocks("promql").flatMap((block, i) =>
      block
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
        .map((expr) => ({ where: `guide promql block ${i + 1}`, expr })),
    );
    expect(exprs.length).toBeGreaterThan(5);
    expect(problems(exprs, known)).toEqual([]);
  });

  it("every sql example of the guide runs against the schema", async () => {
    const blocks = guideBlocks("sql");
    expect(blocks.length).toBeGreaterThan(3);
    const client = new pg.Client({ connectionString: c.testStore.url });
    await client.connect();
    try {
      for (const block of blocks) {
        // Read-only by intent; rolled back whatever it is.
        await client.query("begin read only");
        try {
          await client.query(block);
        } catch (error) {
          throw new Error(`docs/operations.md: ${(error as Error).message} in\n${block}`, { cause: error });
        } finally {
          await client.query("rollback");
        }
      }
    } finally {
      await client.end();
    }
  });

  it("the check catches a renamed metric, a selector it cannot check and a syntax error", () => {
    const found = problems(
      [
        { where: "renamed", expr: "max(concord_transactions_stuck_renamed)" },
        { where: "renamed bucket", expr: "histogram_quantile(0.99, sum by (le) (rate(concord_branch_call_duration_seconds_bucketz[5m])))" },
        { where: "by name", expr: '{__name__="concord_no_such_total"}' },
        { where: "regex", expr: '{__name__=~"concord_.*"}' },
        { where: "broken", expr: "sum(rate(concord_branch_calls_total[$__rate_interval])" },
        { where: "fine", expr: 'sum by (le) (rate(concord_transaction_duration_seconds_bucket{job=~"$job"}[$__rate_interval])) and up' },
      ],
      known,
    );
    expect(found).toEqual([
      "renamed: no metric concord_transactions_stuck_renamed in the scrape",
      "renamed bucket: no metric concord_branch_call_duration_seconds_bucketz in the scrape",
      "by name: no metric concord_no_such_total in the scrape",
      expect.stringMatching(/^regex: a __name__ matcher other than = cannot be checked/),
      expect.stringMatching(/^broken: syntax error/),
    ]);
  });

  it("the dashboard is importable: uid, title, a Prometheus datasource variable, panels with ids and grid positions", () => {
    expect(dashboard.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    expect(typeof dashboard.title === "string" && dashboard.title !== "").toBe(true);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const variables = dashboard.templating?.list ?? [];
    expect(variables).toContainEqual(expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }));

    const panels = allPanels(dashboard.panels);
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && (id as number) > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const boxes: { title: string; x: number; y: number; w: number; h: number }[] = [];
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos ?? {};
      const title = String(p.title);
      expect([x, y, w, h].every((n) => Number.isInteger(n) && (n as number) >= 0), `${title}: gridPos`).toBe(true);
      expect((x as number) + (w as number), `${title}: wider than the grid`).toBeLessThanOrEqual(24);
      boxes.push({ title, x: x as number, y: y as number, w: w as number, h: h as number });
      if (p.type === "row") continue;
      expect(typeof p.type === "string" && typeof p.title === "string" && p.title !== "", `panel ${String(p.id)}: type and title`).toBe(true);
      // Every query goes to the datasource the variable picks.
      expect(p.datasource, `${title}: datasource`).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(p.targets?.length, `${title}: targets`).toBeGreaterThan(0);
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, `${title}: refIds`).toBe(refIds.length);
      for (const t of p.targets ?? []) {
        expect(typeof t.expr === "string" && t.expr !== "", `${title}: expr`).toBe(true);
        expect(t.datasource?.uid ?? "${datasource}", `${title}: target datasource`).toBe("${datasource}");
      }
    }
    // No two panels overlap (rows expanded).
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });

  it("every alert rule has alert, expr, for, a severity label and a summary, and the guide explains it", () => {
    expect(rules.groups?.length).toBeGreaterThan(0);
    for (const g of rules.groups ?? []) expect(typeof g.name === "string" && (g.rules?.length ?? 0) > 0, `group ${String(g.name)}`).toBe(true);
    const names = allRules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of allRules) {
      const name = String(r.alert);
      expect(r.alert, "alert").toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(typeof r.expr === "string" && r.expr.trim() !== "", `${name}: expr`).toBe(true);
      expect(r.for, `${name}: for`).toMatch(/^(\d+(ms|s|m|h|d|w|y))+$/);
      expect(["critical", "warning", "info"], `${name}: labels.severity`).toContain(r.labels?.severity);
      expect(typeof r.annotations?.summary === "string" && r.annotations.summary !== "", `${name}: annotations.summary`).toBe(true);
      expect(typeof r.annotations?.description === "string" && r.annotations.description !== "", `${name}: annotations.description`).toBe(true);
      expect(guide, `docs/operations.md does not explain ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it("the guide documents every concord_* metric the coordinator exports", () => {
    const undocumented = families.map((f) => f.name).filter((n) => n.startsWith("concord_") && !new RegExp(`\\b${n}\\b`).test(guide));
    expect(undocumented).toEqual([]);
  });
});
