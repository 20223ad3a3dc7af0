/**
 * One transaction: its fields and options, its branches, the timeline of branch calls, and the
 * operator's actions on an unfinished one (Retry now, Force stop).
 */
import { useState, type FormEvent, type ReactNode } from "react";
import type { InspectTransactionResponse } from "../../gen/ts/concord/v1/admin_service_pb.js";
import type { Transaction, TransOptions } from "../../gen/ts/concord/v1/transaction_pb.js";
import { admin, describeError, isNotFound } from "./api.js";
import { ErrorMessage, Freshness, Section, StatusBadge, Time } from "./bits.js";
import { branchStatusName, bytesText, durationText, isUnfinished, modeName, opName, outcomeName, statusName } from "./format.js";
import { readStorage, usePolled, writeStorage } from "./live.js";

export function TransactionDetail({ gid }: { gid: string }) {
  const inspect = usePolled(`tx:${gid}`, (signal) => admin.inspectTransaction({ gid }, { signal }));
  // The last action's outcome stays on screen after the transaction has moved on.
  const [result, setResult] = useState<string>();
  const tx = inspect.data?.transaction;
  const gone = inspect.error !== undefined && inspect.data === undefined && isNotFoundText(inspect.error);

  return (
    <>
      <p>
        <a href="#/">← All transactions</a>
      </p>
      <Section
        title={`Transaction ${gid}`}
        id="tx-title"
        actions={
          <div className="inline-controls">
            {tx ? <StatusBadge status={tx.status} /> : null}
            <Freshness updatedAt={inspect.updatedAt} loading={inspect.loading} />
          </div>
        }
      >
        {gone ? <p className="error" role="alert">No transaction has the gid <code>{gid}</code>.</p> : <ErrorMessage error={inspect.error} prefix="Reading the transaction failed" />}
        {result ? (
          <p role="status" className="result">
            {result}
          </p>
        ) : null}
        {tx ? (
          <>
            {isUnfinished(tx.status) ? <Actions tx={tx} onResult={setResult} onDone={inspect.reload} /> : null}
            <Fields tx={tx} />
          </>
        ) : inspect.error ? null : (
          <p className="muted">Reading…</p>
        )}
      </Section>
      {tx && inspect.data ? (
        <>
          <Branches tx={tx} />
          <Timeline data={inspect.data} />
        </>
      ) : null}
    </>
  );
}

function isNotFoundText(error: string): boolean {
  return error.startsWith("not_found:");
}

function Actions({ tx, onResult, onDone }: { tx: Transaction; onResult: (text: string | undefined) => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [stopping, setStopping] = useState(false);

  const act = async (what: string, call: () => Promise<{ transaction?: Transaction | undefined }>) => {
    setBusy(true);
    setError(undefined);
    onResult(undefined);
    try {
      const answer = await call();
      const status = answer.transaction ? statusName(answer.transaction.status) : "unknown";
      onResult(`${what}: the transaction is ${status}${answer.transaction?.rollbackReason ? ` (${answer.transaction.rollbackReason})` : ""}.`);
      setStopping(false);
      onDone();
    } catch (err) {
      setError(isNotFound(err) ? `${describeError(err)} (was it removed by retention?)` : describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="actions" role="group" aria-label="Actions">
      <button type="button" className="primary" disabled={busy} onClick={() => void act("Retry requested", () => admin.retryNow({ gid: tx.gid }))}>
        Retry now
      </button>
      {stopping ? null : (
        <button type="button" className="danger" disabled={busy} onClick={() => setStopping(true)}>
          Force stop…
        </button>
      )}
      {stopping ? (
        <ForceStopForm
          busy={busy}
          onCancel={() => setStopping(false)}
          onSubmit={(reason, operator) => void act("Force-stopped", () => admin.forceStop({ gid: tx.gid, reason, operator }))}
        />
      ) : null}
      <ErrorMessage error={error} prefix="The action failed" />
    </div>
  );
}

const operatorKey = "concord.console.operator";

/** Force stop asks why and who: both are recorded in the rollback reason. */
function ForceStopForm({ busy, onCancel, onSubmit }: { busy: boolean; onCancel: () => void; onSubmit: (reason: string, operator: string) => void }) {
  const [reason, setReason] = useState("");
  const [operator, setOperator] = useState(() => readStorage(operatorKey) ?? "");
  const [problem, setProblem] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === "" || operator.trim() === "") {
      setProblem("Both the reason and the operator are required.");
      return;
    }
    setProblem(undefined);
    writeStorage(operatorKey, operator.trim());
    onSubmit(reason.trim(), operator.trim());
  };

  return (
    <form className="force-stop" onSubmit={submit} aria-label="Force stop">
      <p className="warning">
        Force stop moves the transaction to FAILED at once. Its branches are not called again: <strong>nothing is compensated</strong>.
      </p>
      <label>
        Reason
        <input type="text" required maxLength={1024} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label>
        Operator
        <input type="text" required maxLength={1024} autoComplete="username" value={operator} onChange={(e) => setOperator(e.target.value)} />
      </label>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="form-buttons">
        <button type="submit" className="danger" disabled={busy}>
          {busy ? "Stopping…" : "Force stop"}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Fields({ tx }: { tx: Transaction }) {
  return (
    <dl className="fields">
      <Field label="Mode">{modeName(tx.mode)}</Field>
      <Field label="Status">
        <StatusBadge status={tx.status} />
      </Field>
      <Field label="Attempts">{tx.attempts}</Field>
      <Field label="Created">
        <Time value={tx.createTime} ms />
      </Field>
      <Field label="Updated">
        <Time value={tx.updateTime} ms />
      </Field>
      <Field label="Finished">
        <Time value={tx.finishTime} ms />
      </Field>
      <Field label="Next attempt">{isUnfinished(tx.status) ? <Time value={tx.nextAttemptTime} withRelative /> : <span className="muted">—</span>}</Field>
      <Field label="Rollback reason" wide>
        {tx.rollbackReason ? <span className="reason-text">{tx.rollbackReason}</span> : <span className="muted">—</span>}
      </Field>
      <Field label="Custom data" wide>
        {tx.customData ? <pre>{tx.customData}</pre> : <span className="muted">—</span>}
      </Field>
      <Field label="Options" wide>
        <Options options={tx.options} />
      </Field>
    </dl>
  );
}

function Field({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "field wide" : "field"}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Options({ options }: { options: TransOptions | undefined }) {
  const o = options;
  const retry = o?.retry;
  const headers = Object.entries(o?.branchHeaders ?? {});
  const items: [string, string][] = [
    ["Wait for the result", o?.waitResult ? "yes" : "no"],
    ["Request timeout", durationText(o?.requestTimeout) ?? "default"],
    // SAGA: 0 = never roll back for time.
    ["Timeout to fail", o?.timeoutToFail && o.timeoutToFail.seconds === 0n && o.timeoutToFail.nanos === 0 ? "never" : (durationText(o?.timeoutToFail) ?? "default")],
    ["Retry: first interval", durationText(retry?.initialInterval) ?? "default"],
    ["Retry: longest interval", durationText(retry?.maxInterval) ?? "default"],
    ["Retry: multiplier", retry?.backoffMultiplier ? String(retry.backoffMultiplier) : "default"],
    ["Retry: most attempts", retry?.maxAttempts ? String(retry.maxAttempts) : "unlimited"],
    ["Branch headers", headers.length === 0 ? "none" : headers.map(([k, v]) => `${k}: ${v}`).join(", ")],
  ];
  return (
    <ul className="options">
      {items.map(([label, value]) => (
        <li key={label}>
          <span className="muted">{label}:</span> {value}
        </li>
      ))}
    </ul>
  );
}

function Branches({ tx }: { tx: Transaction }) {
  return (
    <Section title="Branches" id="branches-title">
      {tx.branches.length === 0 ? (
        <p className="empty">No branches.</p>
      ) : (
        <div className="table-scroll">
          <table className="branches">
            <thead>
              <tr>
                <th scope="col">Branch</th>
                <th scope="col">Op</th>
                <th scope="col">Target</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col" className="num">
                  Payload
                </th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {tx.branches.map((b) => (
                <tr key={`${b.branchId}/${b.op}`}>
                  <td>{b.branchId}</td>
                  <td>{opName(b.op)}</td>
                  <td className="target">
                    <code>{b.target || "(none)"}</code>
                  </td>
                  <td>
                    <span className={`badge branch-${branchStatusName(b.status).toLowerCase()}`}>{branchStatusName(b.status)}</span>
                  </td>
                  <td className="num">{b.attempts}</td>
                  <td className="error-text">{b.lastError || <span className="muted">—</span>}</td>
                  <td className="num">{bytesText(b.payloadSize)}</td>
                  <td>
                    <Time value={b.finishTime} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function Timeline({ data }: { data: InspectTransactionResponse }) {
  return (
    <Section title="Timeline" id="timeline-title">
      {data.timeline.length === 0 ? (
        <p className="empty">No branch has been called yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="timeline">
            <caption className="visually-hidden">Branch calls, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Branch</th>
                <th scope="col">Op</th>
                <th scope="col">Outcome</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {data.timeline.map((a, i) => (
                <tr key={i} className={`outcome-${outcomeName(a.outcome)}`}>
                  <td>
                    <Time value={a.time} ms />
                  </td>
                  <td>{a.branchId}</td>
                  <td>{opName(a.op)}</td>
                  <td>
                    <span className={`badge outcome-${outcomeName(a.outcome)}`}>{outcomeName(a.outcome)}</span>
                  </td>
                  <td className="error-text">{a.error || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
