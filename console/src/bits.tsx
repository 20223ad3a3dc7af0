/**
 * Small pieces every view uses: status badges, times, error and result messages.
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ReactNode } from "react";
import type { CircuitState } from "../../gen/ts/concord/v1/admin_service_pb.js";
import type { TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import { circuitStateName, dateOf, localTime, relative, statusName } from "./format.js";

export function StatusBadge({ status }: { status: TransactionStatus }) {
  const name = statusName(status);
  return <span className={`badge status-${name.toLowerCase()}`}>{name}</span>;
}

export function CircuitBadge({ state }: { state: CircuitState }) {
  const name = circuitStateName(state);
  return <span className={`badge circuit-${name.toLowerCase()}`}>{name}</span>;
}

/** A time in local time, its UTC form on hover; `withRelative` adds "in 5 min" / "3 s ago". */
export function Time({ value, ms = false, withRelative = false }: { value: Timestamp | undefined; ms?: boolean; withRelative?: boolean }) {
  const date = dateOf(value);
  if (!date) return <span className="muted">—</span>;
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {localTime(date, ms)}
      {withRelative ? <span className="muted"> ({relative(date)})</span> : null}
    </time>
  );
}

/** An API error, said plainly (Connect's code and message). */
export function ErrorMessage({ error, prefix }: { error: string | undefined; prefix?: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {prefix ? `${prefix}: ` : ""}
      <code>{error}</code>
    </p>
  );
}

/** Text cut to `max` characters, the whole of it on hover. */
export function Truncated({ text, max }: { text: string; max: number }) {
  if (text === "") return <span className="muted">—</span>;
  if (text.length <= max) return <>{text}</>;
  return <span title={text}>{`${text.slice(0, max - 1)}…`}</span>;
}

export function Section({ title, id, children, actions }: { title: string; id: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="panel">
      <header className="panel-header">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** When the data shown was read, and whether a read is on its way. */
export function Freshness({ updatedAt, loading }: { updatedAt: Date | undefined; loading: boolean }) {
  return (
    <span className="muted freshness" aria-live="off">
      {loading ? "reading…" : updatedAt ? `read at ${localTime(updatedAt)}` : ""}
    </span>
  );
}
