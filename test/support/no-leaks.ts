/**
 * Every test file must close what it opened: after the file's own afterAll hooks, no listening
 * server, open socket or child process may be left (timers are not counted: gRPC keeps unref'd
 * ones of its own). Registered for every file in vitest.config.ts.
 */
import { afterAll } from "vitest";

const watched = new Set(["TCPServerWrap", "TCPSocketWrap", "ProcessWrap", "Http2Session"]);

function leaked(): string[] {
  return process.getActiveResourcesInfo().filter((r) => watched.has(r));
}

afterAll(async () => {
  // Sockets finish closing a moment after close() resolves: look again for up to 3 s.
  const until = Date.now() + 3000;
  while (leaked().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const left = leaked();
  if (left.length > 0) throw new Error(`test file leaked: ${left.join(", ")}`);
});
