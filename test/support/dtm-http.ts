/**
 * A small client of dtm's HTTP API for tests: plain fetch against a coordinator's HTTP port, as a
 * dtm SDK would call it, and the shapes `GET /query` answers with.
 */

export interface DtmAnswer {
  readonly status: number;
  /** The parsed JSON body (undefined when the body is not JSON). */
  readonly json: any;
  readonly text: string;
}

export interface DtmQueryTransaction {
  readonly gid: string;
  readonly trans_type: string;
  readonly status: string;
  readonly rollback_reason?: string;
  readonly owner: string;
  readonly create_time: string;
  readonly update_time: string;
  readonly next_cron_time?: string;
  readonly custom_data?: string;
  readonly [key: string]: unknown;
}

export interface DtmQueryBranch {
  readonly branch_id: string;
  readonly op: string;
  readonly status: string;
  readonly url?: string;
  readonly bin_data?: string;
}

export interface DtmHttp {
  /** `http://127.0.0.1:PORT/api/dtmsvr`. */
  readonly server: string;
  get(operation: string, query?: Record<string, string>): Promise<DtmAnswer>;
  post(operation: string, body: unknown): Promise<DtmAnswer>;
  /** `GET /query`: the transaction (undefined for an unknown gid) and its branches. */
  query(gid: string): Promise<{ transaction: DtmQueryTransaction | undefined; branches: DtmQueryBranch[] }>;
  /** The branch statuses in dtm's order, as dtm's suite compares them. */
  branchStatuses(gid: string): Promise<string[]>;
  /** Poll `GET /query` until `done` holds (every 50 ms); reject after `timeoutMs` (default 10000). */
  waitFor(gid: string, done: (tx: DtmQueryTransaction) => boolean, timeoutMs?: number): Promise<DtmQueryTransaction>;
}

export function dtmHttp(httpPort: number): DtmHttp {
  const origin = `http://127.0.0.1:${httpPort}`;
  const server = `${origin}/api/dtmsvr`;
  const answer = async (res: Response): Promise<DtmAnswer> => {
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
  const client: DtmHttp = {
    server,
    async get(operation, query = {}) {
      return answer(await fetch(`${server}/${operation}?${new URLSearchParams(query)}`));
    },
    async post(operation, body) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      return answer(await fetch(`${server}/${operation}`, { method: "POST", headers: { "content-type": "application/json" }, body: text }));
    },
    async query(gid) {
      const res = await client.get("query", { gid });
      if (res.status !== 200) throw new Error(`GET /query?gid=${gid}: ${res.status} ${res.text}`);
      return { transaction: res.json.transaction ?? undefined, branches: res.json.branches };
    },
    async branchStatuses(gid) {
      return (await client.query(gid)).branches.map((b) => b.status);
    },
    async waitFor(gid, done, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { transaction } = await client.query(gid);
        if (transaction && done(transaction)) return transaction;
        if (Date.now() > until) throw new Error(`transaction ${gid} did not get there in ${timeoutMs} ms: ${JSON.stringify(transaction)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
  return client;
}
