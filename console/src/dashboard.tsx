/**
 * The overview: throughput and failures over a recent window, what is stuck or unfinished, what
 * this instance drives now, its circuit breakers and governed branch services, and Retry all now
 * for after an outage.
 */
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { useState } from "react";
import type { GetOverviewResponse, RetryAllNowResponse } from "../../gen/ts/concord/v1/admin_service_pb.js";
import { TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import { admin, describeError } from "./api.js";
import { CircuitBadge, ErrorMessage, Freshness, Section } from "./bits.js";
import { humanMs, percent, unfinishedStatuses } from "./format.js";
import { usePolled } from "./live.js";
import { emptyQuery, listUrl } from "./route.js";

const windows = [
  { label: "5 minutes", ms: 5 * 60_000 },
  { label: "15 minutes", ms: 15 * 60_000 },
  { label: "1 hour", ms: 60 * 60_000 },
  { label: "6 hours", ms: 6 * 60 * 60_000 },
  { label: "24 hours", ms: 24 * 60 * 60_000 },
] as const;

export function Dashboard() {
  const [windowMs, setWindowMs] = useState<number>(windows[0].ms);
  const overview = usePolled(`overview:${windowMs}`, (signal) => admin.getOverview({ window: durationFromMs(windowMs) }, { signal }));
  const o = overview.data;
  const since = new Date(Date.now() - windowMs).toISOString();
  return (
    <Section
      title="Overview"
      id="overview-title"
      actions={
        <div className="inline-controls">
          <label>
            Window{" "}
            <select value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
              {windows.map((w) => (
                <option key={w.ms} value={w.ms}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <Freshness updatedAt={overview.updatedAt} loading={overview.loading} />
        </div>
      }
    >
      <ErrorMessage error={overview.error} prefix="Reading the overview failed" />
      {o ? <Figures o={o} windowMs={windowMs} since={since} /> : overview.error ? null : <p className="muted">Reading…</p>}
      {o ? <Circuits o={o} /> : null}
      {o ? <BranchServices o={o} /> : null}
      <RetryAll onDone={overview.reload} />
    </Section>
  );
}

function Figures({ o, windowMs, since }: { o: GetOverviewResponse; windowMs: number; since: string }) {
  const rate = percent(o.failed, o.succeeded + o.failed);
  const span = humanMs(windowMs);
  const figures: { id: string; label: string; value: string; note?: string; href?: string; alarm?: boolean }[] = [
    { id: "created", label: "Created", value: o.created.toString(), note: `in the last ${span}`, href: listUrl({ ...emptyQuery, createdAfter: since }) },
    { id: "succeeded", label: "Succeeded", value: o.succeeded.toString(), note: "of those" },
    {
      id: "failed",
      label: "Failed",
      value: o.failed.toString(),
      note: "of those",
      href: listUrl({ ...emptyQuery, statuses: [TransactionStatus.FAILED], createdAfter: since }),
      alarm: o.failed > 0n,
    },
    { id: "failure-rate", label: "Failure rate", value: rate ?? "—", note: rate ? "of those finished" : "none finished", alarm: o.failed > 0n },
    { id: "stuck", label: "Stuck", value: o.stuck.toString(), note: "unfinished past the stuck threshold", alarm: o.stuck > 0n },
    { id: "unfinished", label: "Unfinished", value: o.unfinished.toString(), note: "in all", href: listUrl({ ...emptyQuery, statuses: [...unfinishedStatuses] }) },
    { id: "in-flight", label: "In flight", value: String(o.inFlight), note: "driven by this instance now" },
  ];
  return (
    <dl className="figures">
      {figures.map((f) => (
        <div key={f.id} className={f.alarm ? "figure alarm" : "figure"} data-testid={`figure-${f.id}`}>
          <dt>{f.label}</dt>
          <dd>
            <span className="figure-value">{f.href ? <a href={f.href} aria-label={`${f.label}: ${f.value}, list them`}>{f.value}</a> : f.value}</span>
            {f.note ? <span className="figure-note">{f.note}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Circuits({ o }: { o: GetOverviewResponse }) {
  if (o.circuits.length === 0) return <p className="muted">Circuit breakers: none yet (no branch address called by this instance).</p>;
  return (
    <table className="circuits">
      <caption>Circuit breakers of this instance</caption>
      <thead>
        <tr>
          <th scope="col">Address</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            Failures in a row
          </th>
        </tr>
      </thead>
      <tbody>
        {o.circuits.map((c) => (
          <tr key={c.address}>
            <td>
              <code>{c.address}</code>
            </td>
            <td>
              <CircuitBadge state={c.state} />
            </td>
            <td className="num">{c.consecutiveFailures}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A limit as set: "—" for none (0). */
function limit(value: number, unit = ""): string {
  return value === 0 ? "—" : `${Number(value.toFixed(2))}${unit}`;
}

function BranchServices({ o }: { o: GetOverviewResponse }) {
  if (o.governedServices.length === 0) return <p className="muted">Branch services: no limits set (--branch-max-concurrency, --branch-rate-per-second, services: in the config file).</p>;
  return (
    <table className="services">
      <caption>Branch services with limits on this instance</caption>
      <thead>
        <tr>
          <th scope="col">Address</th>
          <th scope="col" className="num">
            Max in flight
          </th>
          <th scope="col" className="num">
            Rate
          </th>
          <th scope="col" className="num">
            Burst
          </th>
          <th scope="col" className="num">
            In flight
          </th>
          <th scope="col" className="num">
            Waiting
          </th>
        </tr>
      </thead>
      <tbody>
        {o.governedServices.map((s) => (
          <tr key={s.address}>
            <td>
              <code>{s.address}</code>
            </td>
            <td className="num">{limit(s.maxConcurrency)}</td>
            <td className="num">{limit(s.ratePerSecond, "/s")}</td>
            <td className="num">{limit(s.burst)}</td>
            <td className="num">{s.inFlight}</td>
            <td className="num">{s.waiting}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Retry all now, asked twice: it makes every unfinished transaction due at once. */
function RetryAll({ onDone }: { onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RetryAllNowResponse>();
  const [error, setError] = useState<string>();

  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await admin.retryAllNow({}));
      setAsking(false);
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="retry-all">
      {asking ? (
        <div role="group" aria-label="Confirm retry all now" className="confirm">
          <span>Make every unfinished transaction that waits for a later attempt due now?</span>
          <button type="button" className="primary" disabled={busy} onClick={() => void run()}>
            {busy ? "Retrying…" : "Yes, retry all now"}
          </button>
          <button type="button" disabled={busy} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Retry all now…
        </button>
      )}
      {result ? (
        <p role="status" className="result">
          {result.count === 1 ? "1 transaction was" : `${result.count} transactions were`} made due now
          {result.remaining ? "; more are left: press Retry all now again." : "."}
        </p>
      ) : null}
      <ErrorMessage error={error} prefix="Retry all now failed" />
    </div>
  );
}
