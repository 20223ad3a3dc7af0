/**
 * The list's filter form. It edits a draft; Apply puts the filters in the URL (a new history
 * entry, back to the first page), so live refreshes never overwrite what is being typed.
 */
import { useState, type FormEvent } from "react";
import type { Mode, TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import { allModes, allStatuses, modeName, statusName } from "./format.js";
import { emptyQuery, type ListQuery } from "./route.js";

interface Draft {
  statuses: TransactionStatus[];
  modes: Mode[];
  gidPrefix: string;
  targetContains: string;
  stuckMinutes: string;
  stuckAttempts: string;
  /** `datetime-local` values, local time. */
  createdAfter: string;
  createdBefore: string;
}

export function Filters({ query, onApply }: { query: ListQuery; onApply: (query: ListQuery) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(query));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(queryOf(draft));
  };
  const clear = () => {
    setDraft(draftOf(emptyQuery));
    onApply(emptyQuery);
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Filter transactions">
      <fieldset>
        <legend>Status</legend>
        {allStatuses.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={draft.statuses.includes(s)} onChange={(e) => set("statuses", toggle(draft.statuses, s, e.target.checked))} />
            {statusName(s)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Mode</legend>
        {allModes.map((m) => (
          <label key={m} className="check">
            <input type="checkbox" checked={draft.modes.includes(m)} onChange={(e) => set("modes", toggle(draft.modes, m, e.target.checked))} />
            {modeName(m)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Stuck (unfinished)</legend>
        <label>
          Older than (minutes)
          <input type="number" min={0} step={1} inputMode="numeric" value={draft.stuckMinutes} onChange={(e) => set("stuckMinutes", e.target.value)} />
        </label>
        <label>
          or at least (attempts)
          <input type="number" min={1} step={1} inputMode="numeric" value={draft.stuckAttempts} onChange={(e) => set("stuckAttempts", e.target.value)} />
        </label>
      </fieldset>
      <div className="filter-fields">
        <label>
          GID starts with
          <input type="search" value={draft.gidPrefix} maxLength={64} onChange={(e) => set("gidPrefix", e.target.value)} />
        </label>
        <label>
          Target contains
          <input type="search" value={draft.targetContains} onChange={(e) => set("targetContains", e.target.value)} />
        </label>
        <label>
          Created after
          <input type="datetime-local" step={1} value={draft.createdAfter} onChange={(e) => set("createdAfter", e.target.value)} />
        </label>
        <label>
          Created before
          <input type="datetime-local" step={1} value={draft.createdBefore} onChange={(e) => set("createdBefore", e.target.value)} />
        </label>
      </div>
      <div className="form-buttons">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}

function draftOf(q: ListQuery): Draft {
  return {
    statuses: [...q.statuses],
    modes: [...q.modes],
    gidPrefix: q.gidPrefix,
    targetContains: q.targetContains,
    stuckMinutes: q.stuckMinutes === undefined ? "" : String(q.stuckMinutes),
    stuckAttempts: q.stuckAttempts === undefined ? "" : String(q.stuckAttempts),
    createdAfter: localInput(q.createdAfter),
    createdBefore: localInput(q.createdBefore),
  };
}

function queryOf(d: Draft): ListQuery {
  return {
    ...emptyQuery,
    statuses: d.statuses,
    modes: d.modes,
    gidPrefix: d.gidPrefix.trim(),
    targetContains: d.targetContains.trim(),
    stuckMinutes: wholeNumber(d.stuckMinutes),
    stuckAttempts: wholeNumber(d.stuckAttempts),
    createdAfter: isoOf(d.createdAfter),
    createdBefore: isoOf(d.createdBefore),
  };
}

function wholeNumber(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() === "" || !Number.isInteger(n) || n < 0 ? undefined : n;
}

/** ISO 8601 (UTC) → a `datetime-local` value in local time. */
function localInput(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `datetime-local` value (local time) → ISO 8601; "" stays "". */
function isoOf(local: string): string {
  if (!local) return "";
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}
