/**
 * The alert webhook: every `branch:alert` (a branch op that keeps failing) is POSTed as JSON to a
 * configured URL, in the body dtm's `AlertWebHook` sends (gid, status, branch, error, retry_count)
 * plus Concord's own fields. Posting never holds up a run: at most a few posts are in flight,
 * each with a deadline, and an alert that finds no room is logged and dropped. Internal module.
 */
import { Agent } from "undici";
import type { CoordinatorEvents } from "./engine/index.js";
import type { Logger } from "./logger.js";

export interface AlertWebhookOptions {
  /** Where alerts are POSTed. */
  readonly url: string;
  readonly logger: Logger;
  /** Deadline of one POST, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Posts in flight at most; more alerts meanwhile are dropped (and logged). Default 16. */
  readonly maxInFlight?: number;
}

/** Post alerts from `events` to the webhook until the returned close() (which cancels posts in flight). */
export function startAlertWebhook(events: CoordinatorEvents, options: AlertWebhookOptions): { close(): Promise<void> } {
  const { url, logger } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxInFlight = options.maxInFlight ?? 16;
  const agent = new Agent({ keepAliveTimeout: 4000 });
  const inFlight = new Set<AbortController>();
  const target = new URL(url);

  async function post(body: Record<string, unknown>, abort: AbortController): Promise<void> {
    const response = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode > 299) throw new Error(`HTTP ${response.statusCode}`);
  }

  const off = events.on("branch:alert", (e) => {
    if (inFlight.size >= maxInFlight) {
      logger.warn("alert webhook busy; alert dropped", { gid: e.gid, branchId: e.branchId, op: e.op });
      return;
    }
    const body = {
      gid: e.gid,
      status: e.status === "succeeded" ? "succeed" : e.status,
      branch: e.target,
      error: e.lastError,
      retry_count: e.attempts,
      branch_id: e.branchId,
      op: e.op,
      trans_type: e.mode,
      reason: e.reason,
    };
    const abort = new AbortController();
    inFlight.add(abort);
    post(body, abort)
      .catch((error: unknown) => {
        if (!abort.signal.aborted) logger.warn("alert webhook POST failed", { gid: e.gid, error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => inFlight.delete(abort));
  });

  return {
    async close() {
      off();
      for (const abort of inFlight) abort.abort();
      await agent.close().catch(() => undefined);
    },
  };
}
