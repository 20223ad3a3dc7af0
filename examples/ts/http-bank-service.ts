/**
 * The example bank over HTTP: a plain node:http branch service holding balances in memory, called
 * by Concord with dtm's HTTP protocol. Each route takes a JSON `{ "account": "...", "amount": 30 }`
 * body; which call it serves (gid, branch, op) comes in the query string.
 *
 * It shows the branch-side rules over HTTP: read the branch info from the URL, answer 409
 * FAILURE (httpBranchFailure) for a business "no" and 200 SUCCESS otherwise, and make every call
 * idempotent per (gid, branch, op) — branch calls are at-least-once. (With Postgres, the barrier
 * in concord/client does this for you: `createBarrier(branchInfoFromUrl(req.url))`.)
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { branchInfoFromUrl, httpBranchFailure, httpBranchSuccess, sendHttpBranchAnswer } from "concord/client";
import type { Transfer } from "./bank-service.js";

export interface HttpBank {
  /** `http://127.0.0.1:PORT/api/<route>`, a Concord branch target. */
  target(route: string): string;
  balance(account: string): number;
  close(): Promise<void>;
}

/** Start the bank on a free loopback port with the given opening balances. */
export async function startHttpBank(opening: Record<string, number>): Promise<HttpBank> {
  const balances = new Map(Object.entries(opening));
  const done = new Set<string>(); // (gid, branch, op) seen: makes calls idempotent
  const routes: Record<string, (t: Transfer) => void> = {
    TransOut: (t) => move(t.account, -t.amount),
    TransOutCompensate: (t) => move(t.account, t.amount),
    TransIn: (t) => move(t.account, t.amount),
    TransInCompensate: (t) => move(t.account, -t.amount),
  };

  function move(account: string, delta: number): void {
    const next = (balances.get(account) ?? 0) + delta;
    if (next < 0) throw new Error("insufficient funds");
    balances.set(account, next);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  }

  const server = createServer((req, res) => {
    const apply = routes[new URL(req.url ?? "/", "http://bank.invalid").pathname.replace("/api/", "")];
    if (apply === undefined) return void res.writeHead(404).end();
    readBody(req).then((body) => {
      const info = branchInfoFromUrl(req.url ?? "");
      const branch = `${info.gid}:${info.branchId}`;
      try {
        // A repeated call, and a compensation of an action that never ran, change nothing.
        const repeated = done.has(`${branch}:${info.op}`);
        const nullCompensation = info.op === "compensate" && !done.has(`${branch}:action`);
        if (!repeated && !nullCompensation) apply(JSON.parse(body) as Transfer);
        done.add(`${branch}:${info.op}`);
        sendHttpBranchAnswer(res, httpBranchSuccess());
      } catch (e) {
        sendHttpBranchAnswer(res, httpBranchFailure((e as Error).message)); // 409: the business said no
      }
    }, () => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: (route) => `http://127.0.0.1:${port}/api/${route}`,
    balance: (account) => balances.get(account) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
