/**
 * A worker of `concord serve --workers N`: the program ./cluster.ts forks, with the serve flags as
 * its arguments. It runs one full coordinator instance (`serveInstance`, as `--workers 1` does in
 * its own process) on the ports the cluster shares, and talks to the primary over IPC: it says
 * when it listens or why its start failed, shuts down when asked, and answers `/metrics` for the
 * whole process by asking the primary to gather every worker's registry. Internal module.
 *
 * Signals: SIGTERM shuts this worker down gracefully, a second one exits 1 at once (as a single
 * process); SIGINT is left to the primary (Ctrl-C reaches the whole process group, and the primary
 * asks every worker to stop); SIGHUP reloads the configuration. If the primary goes away (its IPC
 * channel closes, even when it was SIGKILLed), node:cluster ends this worker at once; the leases
 * of what it was driving run out and another instance resumes it.
 */
import cluster from "node:cluster";
import type { Registry } from "prom-client";
import { resolveConfig, type Config } from "../config.js";
import { createLogger, type Logger } from "../logger.js";
import { answerForProcess, type MetricsSnapshot } from "../metrics.js";
import { HttpError } from "../server/index.js";
import { packageVersion } from "../version.js";
import { workerSlotEnv, type FromWorker, type ToWorker } from "./cluster.js";
import { errorMessage, serveInstance } from "./main.js";

/** How long a scrape waits for the primary's gathered metrics, ms (the primary gives up after 3 s). */
const metricsAnswerTimeoutMs = 5_000;

let logger: Logger | undefined;
let returned = false;

process.on("exit", () => {
  // node:cluster exits a worker whose IPC channel closed: the primary is gone.
  if (!returned && !process.connected) logger?.warn("the primary process is gone; exiting at once (leased transactions are resumed by another instance)");
});

const code = await runWorker(process.argv.slice(2), process.env);
returned = true;
process.exit(code);

async function runWorker(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (!cluster.isWorker || !process.send) {
    process.stderr.write("concord: the worker program is started by `concord serve --workers N`, not directly\n");
    return 2;
  }
  const slot = Number(env[workerSlotEnv] ?? cluster.worker?.id);
  const send = (message: FromWorker): Promise<void> =>
    new Promise((resolve) => {
      if (!process.connected) return resolve();
      try {
        process.send!(message, undefined, undefined, () => resolve());
      } catch {
        resolve();
      }
    });

  // Stop requests: the primary's `concord:stop`, or a SIGTERM sent to this worker itself.
  let requestStop!: (reason: string) => void;
  let stopAsked = false;
  const stopRequested = new Promise<string>((resolve) => {
    requestStop = (reason) => {
      if (stopAsked) return;
      stopAsked = true;
      resolve(reason);
    };
  });
  let terms = 0;
  process.on("SIGTERM", () => {
    if (++terms === 1) return requestStop("SIGTERM");
    process.stderr.write(`concord: worker ${slot}: SIGTERM during shutdown; exiting now\n`);
    process.exit(1);
  });
  // Ctrl-C reaches every process of the terminal's group; the primary stops the workers.
  process.on("SIGINT", () => logger?.debug("SIGINT left to the primary"));
  // A SIGHUP the primary forwards before the reload watcher is installed must not end the worker.
  process.on("SIGHUP", () => {});

  let registry: Registry | undefined;
  const answers = new Map<number, (message: Extract<ToWorker, { type: "concord:metrics-answer" }>) => void>();
  let nextScrape = 0;
  process.on("message", (message: ToWorker) => {
    if (typeof message !== "object" || message === null) return;
    switch (message.type) {
      case "concord:stop":
        requestStop(message.signal);
        break;
      case "concord:metrics-collect":
        void Promise.resolve(registry?.getMetricsAsJSON() ?? []).then(
          (metrics) => send({ type: "concord:metrics-part", id: message.id, metrics: metrics as MetricsSnapshot }),
          (error: unknown) => send({ type: "concord:metrics-part", id: message.id, error: errorMessage(error) }),
        );
        break;
      case "concord:metrics-answer":
        answers.get(message.id)?.(message);
        break;
    }
  });
  // /metrics here answers for every worker: the primary gathers and sums their registries.
  answerForProcess({
    attach(created) {
      registry = created;
    },
    collect() {
      return new Promise<string>((resolve, reject) => {
        const unavailable = (why: string) => new HttpError(503, "unavailable", `metrics of the other workers unavailable: ${why}`);
        if (!process.connected) return reject(unavailable("the primary process is gone"));
        const id = nextScrape++;
        const timer = setTimeout(() => {
          answers.delete(id);
          reject(unavailable(`no answer from the primary within ${metricsAnswerTimeoutMs} ms`));
        }, metricsAnswerTimeoutMs);
        answers.set(id, (answer) => {
          clearTimeout(timer);
          answers.delete(id);
          if (answer.text !== undefined) resolve(answer.text);
          else reject(unavailable(answer.error ?? "no reason given"));
        });
        void send({ type: "concord:metrics-request", id });
      });
    },
  });
  void send({ type: "concord:hello" });

  let config: Config;
  try {
    config = resolveConfig({ argv: [...args], env });
  } catch (err) {
    await send({ type: "concord:start-failed", message: errorMessage(err) });
    return 2;
  }
  logger = withFields(createLogger(config.logLevel), { worker: slot });
  logger.info("starting worker", { version: packageVersion() });
  const code = await serveInstance(args, env, config, {
    logger,
    stopRequested,
    listening: (ports, store) => void send({ type: "concord:listening", grpcPort: ports.grpcPort, httpPort: ports.httpPort, store }),
    startFailed: (message) => void send({ type: "concord:start-failed", message }),
  });
  // Messages go out in order: once this one is written, so is everything before it.
  await send({ type: "concord:flush" });
  return code;
}

/** `logger` with `fields` on every line (which worker wrote it). */
function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  const add = (more?: Record<string, unknown>) => ({ ...fields, ...more });
  return {
    debug: (msg, more) => logger.debug(msg, add(more)),
    info: (msg, more) => logger.info(msg, add(more)),
    warn: (msg, more) => logger.warn(msg, add(more)),
    error: (msg, more) => logger.error(msg, add(more)),
    get level() {
      return logger.level;
    },
    setLevel: (level) => logger.setLevel(level),
  };
}
