/**
 * Structured logs (pino): one JSON object per line on stderr, with the fields a line concerns
 * (gid, branchId, op, …) at its top level, or pretty lines when stderr is a terminal. The level
 * can be changed while running (AdminService.SetLogLevel). Internal module.
 */
import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoLogger } from "pino";
import pretty from "pino-pretty";
import type { LogLevel } from "./config.js";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The level lines are written at and above. */
  readonly level: LogLevel;
  /** Write lines at `level` and above from now on; returns the level before. */
  setLevel(level: LogLevel): LogLevel;
}

/** An error as a log field: its name and message (a stack only where a line asks for one). */
function serializeError(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

/**
 * Create a logger writing lines at `level` and above to `write` (default: stderr; pretty when it
 * is a terminal, else JSON lines).
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination: DestinationStream = write
    ? { write }
    : process.stderr.isTTY
      ? pretty({ destination: 2, colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" })
      : pino.destination({ dest: 2, sync: true });
  const log: PinoLogger = pino(
    {
      level,
      // Level names, not numbers, and ISO times: lines read the same in any log store.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: stdTimeFunctions.isoTime,
      serializers: { error: serializeError, err: serializeError },
    },
    destination,
  );
  const emit = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => (fields === undefined ? log[lvl](msg) : log[lvl](fields, msg));
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    get level() {
      return log.level as LogLevel;
    },
    setLevel(next) {
      const previous = log.level as LogLevel;
      log.level = next;
      return previous;
    },
  };
}

/** A logger that drops everything (tests that do not read logs). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  level: "error",
  setLevel: () => "error",
};
