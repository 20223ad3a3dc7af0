/**
 * Prometheus text exposition, parsed by `prom2javascript` (a parser of the exposition format, not
 * regular expressions), and lookups for tests.
 */
import { getMetricsFromIterator, type PromMetrics } from "prom2javascript";

export type { PromMetrics };

export async function parsePrometheusText(text: string): Promise<PromMetrics> {
  return getMetricsFromIterator(text.split("\n")[Symbol.iterator]());
}

/** The sum of the values (counters, gauges) or counts (histograms) of `name`'s series whose labels include `labels`. */
export function total(metrics: PromMetrics, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = metrics[name];
  if (!family) throw new Error(`no metric family ${name}`);
  let sum = 0;
  for (const series of family.data) {
    if (!Object.entries(labels).every(([k, v]) => series.labels[k] === v)) continue;
    sum += "value" in series ? series.value : (series.count ?? 0);
  }
  return sum;
}

/** The sum of the sums of a histogram's series whose labels include `labels`. */
export function histogramSum(metrics: PromMetrics, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = metrics[name];
  if (!family) throw new Error(`no metric family ${name}`);
  let sum = 0;
  for (const series of family.data) {
    if (Object.entries(labels).every(([k, v]) => series.labels[k] === v) && "sum" in series) sum += series.sum ?? 0;
  }
  return sum;
}
