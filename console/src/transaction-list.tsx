/**
 * Transactions, newest first, a page at a time: the filters, the table, Previous and Next.
 * The API's page tokens only go forward, so the tokens of the pages already passed are kept
 * (in the history entry) for Previous.
 */
import { admin } from "./api.js";
import { ErrorMessage, Freshness, Section, StatusBadge, Time, Truncated } from "./bits.js";
import { modeName } from "./format.js";
import { Filters } from "./filters.js";
import { usePolled } from "./live.js";
import { defaultPageSize, detailHref, filterOf, pushList, queryParams, type ListQuery } from "./route.js";

const pageSizes = [20, 50, 100, 200];

export function TransactionList({ query, previous }: { query: ListQuery; previous: readonly string[] }) {
  const pageSize = query.pageSize ?? defaultPageSize;
  const key = queryParams(query).toString();
  const list = usePolled(`list:${key}`, (signal) => admin.listTransactions({ filter: filterOf(query), pageSize, pageToken: query.page }, { signal }));
  const rows = list.data?.transactions;
  const next = list.data?.nextPageToken ?? "";
  const filterKey = queryParams({ ...query, page: "", pageSize: undefined }).toString();

  // A shared link to a later page comes without the tokens before it: its number is unknown.
  const pageLabel = query.page !== "" && previous.length === 0 ? "a later page" : `page ${previous.length + 1}`;
  const goNext = () => pushList({ ...query, page: next }, [...previous, query.page]);
  const goPrevious = () => pushList({ ...query, page: previous.at(-1) ?? "" }, previous.slice(0, -1));

  return (
    <Section title="Transactions" id="transactions-title" actions={<Freshness updatedAt={list.updatedAt} loading={list.loading} />}>
      {/* Remounted when the URL's filters change (back, a shared link), so the form shows them. */}
      <Filters key={filterKey} query={query} onApply={(q) => pushList({ ...q, pageSize: query.pageSize }, [])} />
      <ErrorMessage error={list.error} prefix="Listing transactions failed" />
      {rows === undefined ? (
        list.error ? null : <p className="muted">Reading…</p>
      ) : rows.length === 0 ? (
        <p className="empty">{query.page ? "No more transactions match these filters." : "No transaction matches these filters."}</p>
      ) : (
        <div className="table-scroll">
          <table className="transactions">
            <caption className="visually-hidden">Transactions, newest first, {pageLabel}</caption>
            <thead>
              <tr>
                <th scope="col">GID</th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Updated</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Rollback reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((tx) => (
                <tr key={tx.gid}>
                  <th scope="row">
                    <a href={detailHref(tx.gid)}>{tx.gid}</a>
                  </th>
                  <td>{modeName(tx.mode)}</td>
                  <td>
                    <StatusBadge status={tx.status} />
                  </td>
                  <td>
                    <Time value={tx.createTime} />
                  </td>
                  <td>
                    <Time value={tx.updateTime} />
                  </td>
                  <td className="num">{tx.attempts}</td>
                  <td className="reason">
                    <Truncated text={tx.rollbackReason} max={80} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        <button type="button" onClick={goPrevious} disabled={previous.length === 0 && query.page === ""}>
          ← Previous
        </button>
        <span className="page-label">{pageLabel.replace(/^./, (c) => c.toUpperCase())}</span>
        <button type="button" onClick={goNext} disabled={next === ""}>
          Next →
        </button>
        <label>
          Rows per page{" "}
          <select value={pageSize} onChange={(e) => pushList({ ...query, page: "", pageSize: Number(e.target.value) }, [])}>
            {[...new Set([...pageSizes, pageSize])]
              .sort((a, b) => a - b)
              .map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
          </select>
        </label>
      </nav>
    </Section>
  );
}
