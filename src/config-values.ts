/**
 * The values of the configuration and where they come from: each setting's spec, the flags, the
 * YAML file, and the checks that turn a flag, variable or file value into a setting's value,
 * with an error naming where a bad one came from. config.ts resolves them. Internal module.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { postgresUrlProblem } from "./database-url.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** One branch service's governance; an absent field takes the `branch*` default. */
export interface ServiceLimits {
  /** Calls in flight at once; 0 = no cap. */
  readonly maxConcurrency?: number;
  /** Calls per second; 0 = no limit. */
  readonly ratePerSecond?: number;
  /** Token bucket size; 0 = one second's worth. */
  readonly burst?: number;
}

/** Where a value came from, so an error can name the exact flag, env var or file key to fix. */
export type Source = string;

/** How a raw string (flag, env) or YAML value becomes a field value, and what it must satisfy. */
export type FieldKind = "string" | "optionalString" | "path" | "list" | "postgresUrl" | "httpUrl" | "port" | "positiveInt" | "nonNegativeInt" | "nonNegativeNumber" | "multiplier" | "logLevel";

export interface FieldSpec {
  /** Path in `Config` (and in the YAML file): `["retry", "maxAttempts"]`. */
  readonly path: readonly [string] | readonly [string, string];
  readonly flag: string;
  readonly env: string;
  readonly kind: FieldKind;
  /** `undefined` = unset (`databaseUrl`, `advertiseAddress`, which is derived from the bound gRPC port). */
  readonly default: string | number | undefined;
  /** Applied by a reload (SIGHUP, a changed file) while running; the others need a restart. */
  readonly live?: boolean;
  /** One line for `configHelp()`. */
  readonly doc: string;
}

export const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export function field(path: FieldSpec["path"], kind: FieldKind, dflt: FieldSpec["default"], doc: string, live = false): FieldSpec {
  const name = path.join("-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { path, kind, default: dflt, doc, live, flag: `--${name}`, env: `CONCORD_${name.replace(/-/g, "_").toUpperCase()}` };
}

const serviceLimitKeys = ["maxConcurrency", "ratePerSecond", "burst"] as const;

/** The file's `services:` map: branch address (`host:port`) → limits, every value checked. */
export function parseServices(value: unknown, source: Source): Record<string, ServiceLimits> {
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) throw new Error(`${source} must be a mapping of branch addresses (host:port) to limits`);
  const services: Record<string, ServiceLimits> = {};
  for (const [address, limitsValue] of Object.entries(value)) {
    const at = `${source}, service "${address}"`;
    if (!/^(\[[0-9a-fA-F:.]+\]|[^:\s/[\]]+):[0-9]{1,5}$/.test(address)) throw new Error(`${at}: expected a host:port address, as a target names it`);
    if (!isPlainObject(limitsValue)) throw new Error(`${at}: expected a mapping with ${serviceLimitKeys.join(", ")}`);
    const out: Record<string, number> = {};
    for (const [key, raw] of Object.entries(limitsValue)) {
      if (!(serviceLimitKeys as readonly string[]).includes(key)) throw new Error(`${at}: unknown key "${key}" (expected ${serviceLimitKeys.join(", ")})`);
      const n = typeof raw === "number" ? raw : typeof raw === "string" ? toNumber(raw.trim()) : NaN;
      const integer = key !== "ratePerSecond";
      if (!Number.isFinite(n) || n < 0 || (integer && !Number.isSafeInteger(n))) {
        throw new Error(`invalid value ${JSON.stringify(raw)} for ${at}, "${key}": expected ${integer ? "an integer" : "a number"} of 0 or more`);
      }
      out[key] = n;
    }
    services[address] = out;
  }
  return services;
}

/** Parse `--name value` and `--name=value`; everything must be a known flag with a value. */
export function parseFlags(argv: readonly string[], known: ReadonlySet<string>): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}" (see --help)`);
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!known.has(name)) throw new Error(`unknown flag ${name} (see --help)`);
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      // A following flag means this one's value was forgotten, not that the value is "--x".
      if (value === undefined || value.startsWith("--")) throw new Error(`flag ${name} needs a value`);
      i++;
    }
    flags.set(name, value);
  }
  return flags;
}

/** Read the YAML file into a flat `path → value` map, rejecting keys Concord does not know. */
export function readConfigFile(path: string, known: ReadonlySet<string>): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`config file ${path} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const values = new Map<string, unknown>();
  if (doc === null || doc === undefined) return values;
  if (!isPlainObject(doc)) throw new Error(`config file ${path} must be a mapping of setting names to values`);
  for (const [key, value] of Object.entries(doc)) {
    if (key === "retry" && isPlainObject(value)) {
      for (const [sub, subValue] of Object.entries(value)) {
        if (!known.has(`retry.${sub}`)) throw new Error(`unknown key "retry.${sub}" in config file ${path}`);
        values.set(`retry.${sub}`, subValue);
      }
    } else if (key === "retry" && value !== null) {
      throw new Error(`key "retry" in config file ${path} must be a mapping`);
    } else if (key === "services") {
      values.set(key, value);
    } else if (key !== "retry") {
      if (!known.has(key)) throw new Error(`unknown key "${key}" in config file ${path}`);
      values.set(key, value);
    }
  }
  return values;
}

export function coerce(spec: FieldSpec, raw: unknown, source: Source): string | number | string[] {
  const fail = (want: string): never => {
    throw new Error(`invalid value ${JSON.stringify(raw)} for ${source}: expected ${want}`);
  };
  if (spec.kind === "list") {
    // A comma-separated string (flag, environment) or a YAML list of strings.
    const items = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : fail("a comma-separated list");
    const list = items.map((item) => (typeof item === "string" || typeof item === "number" ? String(item).trim() : fail("a list of strings")));
    if (list.length === 0 || list.some((item) => item === "")) fail("a comma-separated list without empty entries");
    return list;
  }
  if (typeof raw !== "string" && typeof raw !== "number") fail("a string or a number");
  const text = String(raw).trim();
  switch (spec.kind) {
    case "string":
    case "optionalString":
    case "path":
      if (text === "") fail("a non-empty string");
      return text;
    case "postgresUrl": {
      // Checked here, not at connect time: "not a url" would otherwise surface as a DNS error for
      // a made-up host, and mysql://… would be dialled as Postgres. The value is never echoed,
      // since it may hold a password.
      const problem = postgresUrlProblem(text);
      if (problem !== undefined) {
        throw new Error(`invalid value for ${source}: expected a Postgres URL such as postgres://user:password@host:5432/database, but ${problem}`);
      }
      return text;
    }
    case "httpUrl": {
      let url: URL | undefined;
      try {
        url = new URL(text);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") fail("an http:// or https:// URL");
      return text;
    }
    case "logLevel":
      if (!(logLevels as readonly string[]).includes(text)) fail(`one of ${logLevels.join(", ")}`);
      return text;
    case "port": {
      const n = toNumber(text);
      if (!Number.isInteger(n) || n < 0 || n > 65535) fail("an integer port from 0 to 65535");
      return n;
    }
    case "positiveInt": {
      const n = toNumber(text);
      if (!Number.isSafeInteger(n) || n <= 0) fail("a positive integer");
      return n;
    }
    case "nonNegativeInt": {
      const n = toNumber(text);
      if (!Number.isSafeInteger(n) || n < 0) fail("an integer of 0 or more");
      return n;
    }
    case "multiplier": {
      const n = toNumber(text);
      if (!Number.isFinite(n) || n < 1) fail("a number of 1 or more");
      return n;
    }
    case "nonNegativeNumber": {
      const n = toNumber(text);
      if (!Number.isFinite(n) || n < 0) fail("a number of 0 or more");
      return n;
    }
  }
}

/** `Number("")` is 0 and `Number(" 1")` is 1; only plain decimal text counts as a number here. */
function toNumber(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepFreeze<T>(value: T): T {
  if (isPlainObject(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function kindHint(kind: FieldKind): string {
  switch (kind) {
    case "string":
    case "optionalString":
      return "text";
    case "path":
      return "file";
    case "list":
      return "list";
    case "postgresUrl":
    case "httpUrl":
      return "url";
    case "logLevel":
      return "level";
    case "port":
      return "port";
    case "multiplier":
    case "nonNegativeNumber":
      return "number";
    case "positiveInt":
    case "nonNegativeInt":
      return "int";
  }
}
