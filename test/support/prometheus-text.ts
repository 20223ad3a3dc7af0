/**
 * A parser of Prometheus's text exposition format (version 0.0.4), for tests that read
 * `/metrics` as Prometheus would, not with regular expressions over the text.
 *
 * Written here because the npm parsers we tried get it wrong: parse-prometheus-text-format drops
 * the labels, sums and counts of a histogram with labels besides `le`, and prom2javascript
 * refuses NaN, which prom-client writes for an event-loop gauge without samples. This one follows
 * the format: `# HELP` / `# TYPE` lines, samples `name{label="value",…} value [timestamp]` with
 * escaped label values, floats including NaN and ±Inf, and a histogram's or summary's `_bucket`,
 * `_sum`, `_count` series folded into its family, one series per label set (without `le`), and
 * every family a `# TYPE` line declares, samples or not.
 */

export interface PromSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Counters, gauges, untyped. */
  readonly value?: number;
  /** Histograms: cumulative count per `le` bound. */
  readonly buckets?: Readonly<Record<string, number>>;
  readonly sum?: number;
  readonly count?: number;
}

export interface PromFamily {
  readonly type: string;
  readonly help: string;
  readonly data: readonly PromSeries[];
}

export type PromMetrics = Readonly<Record<string, PromFamily>>;

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === "nan") return Number.NaN;
  if (lower === "+inf" || lower === "inf") return Number.POSITIVE_INFINITY;
  if (lower === "-inf") return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  if (text === "" || Number.isNaN(n)) throw new Error(`not a sample value: ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return n;
}

/** One sample line: a metric name, its labels (values unescaped), a value and an optional timestamp. */
function parseSample(line: string): Sample {
  const name = namePattern.exec(line)?.[0];
  if (!name) throw new Error(`no metric name in ${JSON.stringify(line)}`);
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === "{") {
    i++;
    for (;;) {
      while (line[i] === " " || line[i] === ",") i++;
      if (line[i] === "}") {
        i++;
        break;
      }
      const label = namePattern.exec(line.slice(i))?.[0];
      if (!label || line[i + label.length] !== "=" || line[i + label.length + 1] !== '"') throw new Error(`malformed labels in ${JSON.stringify(line)}`);
      i += label.length + 2;
      let value = "";
      for (;;) {
        const c = line[i++];
        if (c === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
        if (c === '"') break;
        if (c === "\\") {
          const e = line[i++];
          value += e === "n" ? "\n" : e === "\\" ? "\\" : e === '"' ? '"' : `\\${e ?? ""}`;
        } else {
          value += c;
        }
      }
      labels[label] = value;
    }
  }
  const [valueText = "", timestamp, ...rest] = line.slice(i).trim().split(/\s+/);
  if (rest.length > 0 || (timestamp !== undefined && !/^-?\d+$/.test(timestamp))) throw new Error(`malformed sample ${JSON.stringify(line)}`);
  return { name, labels, value: parseValue(valueText, line) };
}

const keyOf = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

export function parsePrometheusText(text: string): PromMetrics {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const [, keyword, name, ...rest] = line.split(/\s+/);
      if (keyword === "TYPE" && name) types.set(name, (rest[0] ?? "untyped").toLowerCase());
      if (keyword === "HELP" && name) helps.set(name, rest.join(" "));
      continue;
    }
    samples.push(parseSample(line));
  }
  const families = new Map<string, { type: string; series: Map<string, { labels: Record<string, string>; value?: number; buckets?: Record<string, number>; sum?: number; count?: number }> }>();
  // A declared family without samples yet (a gauge with no label set so far) is still exported.
  for (const [name, type] of types) families.set(name, { type, series: new Map() });
  for (const s of samples) {
    // A histogram's or summary's series belong to the family declared without the suffix.
    const suffix = /_(bucket|sum|count)$/.exec(s.name);
    const base = suffix ? s.name.slice(0, -suffix[0].length) : s.name;
    const compound = suffix && ["histogram", "summary"].includes(types.get(base) ?? "");
    const name = compound ? base : s.name;
    const type = types.get(name) ?? "untyped";
    const family = families.get(name) ?? { type, series: new Map() };
    families.set(name, family);
    const { le, ...rest } = s.labels;
    const labels = compound && suffix![1] === "bucket" ? rest : s.labels;
    const series = family.series.get(keyOf(labels)) ?? { labels };
    family.series.set(keyOf(labels), series);
    if (!compound) series.value = s.value;
    else if (suffix![1] === "sum") series.sum = s.value;
    else if (suffix![1] === "count") series.count = s.value;
    else {
      if (le === undefined) throw new Error(`bucket without le: ${s.name}`);
      (series.buckets ??= {})[le] = s.value;
    }
  }
  const out: Record<string, PromFamily> = {};
  for (const [name, family] of families) {
    for (const series of family.series.values()) {
      if (family.type === "histogram" && series.buckets?.["+Inf"] !== series.count) {
        throw new Error(`histogram ${name} ${keyOf(series.labels)}: the +Inf bucket (${series.buckets?.["+Inf"]}) is not the count (${series.count})`);
      }
    }
    out[name] = { type: family.type, help: helps.get(name) ?? "", data: [...family.series.values()] };
  }
  return out;
}

/** The sum of the values (counters, gauges) or counts (histograms) of `name`'s series whose labels include `labels`. */
export function total(metrics: PromMetrics, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = metrics[name];
  if (!family) throw new Error(`no metric family ${name}`);
  let sum = 0;
  for (const series of family.data) {
    if (!Object.entries(labels).every(([k, v]) => series.labels[k] === v)) continue;
    sum += series.value ?? series.count ?? 0;
  }
  return sum;
}

/** The sum of the sums of a histogram's series whose labels include `labels`. */
export function histogramSum(metrics: PromMetrics, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = metrics[name];
  if (!family) throw new Error(`no metric family ${name}`);
  let sum = 0;
  for (const series of family.data) {
    if (Object.entries(labels).every(([k, v]) => series.labels[k] === v)) sum += series.sum ?? 0;
  }
  return sum;
}
