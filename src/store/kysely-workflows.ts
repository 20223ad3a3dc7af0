/**
 * The store's workflow writes: a recorded step and the finish, each one statement under the
 * transaction's row lock, so a step is never recorded after the workflow was finished. Internal
 * module; `createKyselyStore` serves them.
 */
import { sql, type Kysely } from "kysely";
import type { Mode, TransactionStatus } from "../model.js";
import type { Database } from "./schema.js";
import type { FinishWorkflowResult, RecordStepResult, Store, WorkflowStepRecord } from "./store.js";
import { prepared, toTransaction, type TransactionRow } from "./sql.js";

type WorkflowQueries = Pick<Store, "recordWorkflowStep" | "finishWorkflow">;

export function createWorkflowQueries(db: Kysely<Database>): WorkflowQueries {
  async function recordWorkflowStep(gid: string, step: WorkflowStepRecord): Promise<RecordStepResult> {
    // FOR UPDATE queues this behind a concurrent finish (and the finish behind this): the step
    // goes in only while the row says PREPARED. A new row puts the timeout (and, when no run
    // holds the workflow, its due time) `timeout_to_fail` from now: the resume waits for a
    // workflow that stopped making progress. The row is finished when written: the client ran it.
    const { rows } = await sql<{
      status: TransactionStatus;
      mode: Mode;
      inserted: number;
      same: boolean | null;
    }>`${prepared}
      with t as (
        select gid, status, mode from concord.transactions where gid = ${gid} for update
      ), ins as (
        insert into concord.branches (gid, branch_id, op, target, payload, status, finished_at)
        select t.gid, ${step.branchId}::text, ${step.op}::text, '', ${step.result}::bytea, ${step.status}::text, now()
        from t
        where t.status = 'prepared' and t.mode = 'workflow'
        on conflict (gid, branch_id, op) do nothing
        returning gid
      ), progress as (
        update concord.transactions x
        set fail_at = now() + make_interval(secs => (x.options->>'timeoutToFailMs')::float8 / 1000),
          next_attempt_at = case when x.lease_owner is null
            then now() + make_interval(secs => (x.options->>'timeoutToFailMs')::float8 / 1000)
            else x.next_attempt_at end,
          updated_at = now()
        from ins
        where x.gid = ins.gid
      )
      select t.status, t.mode, (select count(*) from ins)::int as inserted,
        (select b.status = ${step.status}::text and b.payload = ${step.result}::bytea from concord.branches b
          where b.gid = t.gid and b.branch_id = ${step.branchId}::text and b.op = ${step.op}::text) as same
      from t`.execute(db);
    const row = rows[0];
    if (!row) return { kind: "not-found" };
    if (row.mode !== "workflow") return { kind: "wrong-mode", mode: row.mode };
    if (row.status !== "prepared") return { kind: "not-prepared", status: row.status };
    if (Number(row.inserted) === 1) return { kind: "recorded" };
    // The statement's snapshot saw the row that made the insert do nothing: it is the stored one.
    return row.same === true ? { kind: "repeat" } : { kind: "conflict" };
  }

  async function finishWorkflow(gid: string, status: "succeeded" | "failed", result: Uint8Array, rollbackReason: string): Promise<FinishWorkflowResult> {
    // The lease is not fenced on: the client decides, and a resume run in progress finds the
    // status moved when it next writes. No next attempt: a finished workflow is never resumed.
    const { rows } = await sql<TransactionRow & { moved: boolean }>`${prepared}
      with t as (
        select gid, status, mode from concord.transactions where gid = ${gid} for update
      ), moved as (
        update concord.transactions x
        set status = ${status}::text, result = ${result}::bytea, rollback_reason = ${rollbackReason}::text,
          lease_owner = null, next_attempt_at = null, finished_at = now(), updated_at = now()
        from t
        where x.gid = t.gid and t.status = 'prepared' and t.mode = 'workflow'
        returning x.*
      )
      select m.*, true as moved from moved m
      union all
      select x.*, false as moved from concord.transactions x
      where x.gid = ${gid} and not exists (select 1 from moved)`.execute(db);
    const row = rows[0];
    if (!row) return { kind: "not-found" };
    if (row.mode !== "workflow") return { kind: "wrong-mode", mode: row.mode };
    return row.moved ? { kind: "finished", transaction: toTransaction(row) } : { kind: "not-prepared", transaction: toTransaction(row) };
  }

  return { recordWorkflowStep, finishWorkflow };
}
