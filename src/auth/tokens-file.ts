/**
 * The tokens file (`--tokens-file`): a YAML list of callers and their scopes. Internal module.
 *
 * ```yaml
 * - name: orders            # recorded as the creator of the transactions it submits
 *   token: "…"              # sent as `authorization: Bearer …`; at least 32 characters
 *   scopes: [submit]
 * - name: payments          # a client certificate (mTLS) whose subject CN is this
 *   certSubject: payments.internal
 *   scopes: [submit, read]
 * ```
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { scopes, type Scope } from "./principal.js";

export interface TokenEntry {
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
  /** SHA-256 of the token, compared in constant time; absent for a certificate entry. */
  readonly tokenHash?: Buffer;
  /** The subject CN of a client certificate this entry stands for. */
  readonly certSubject?: string;
}

/** Shorter tokens are refused: a bearer token is the whole secret. */
export const minTokenLength = 32;

/** The SHA-256 a token is compared by. */
export function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Read and check the file; throws an Error naming the file, the entry and the field at fault. */
export async function loadTokensFile(path: string): Promise<TokenEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read tokens file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseTokens(text, path);
}

/** Parse a tokens file's text (`where` names it in errors). */
export function parseTokens(text: string, where: string): TokenEntry[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`tokens file ${where} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new Error(`tokens file ${where} must be a YAML list of {name, token, scopes} entries`);
  const names = new Set<string>();
  const hashes = new Set<string>();
  return doc.map((entry: unknown, i): TokenEntry => {
    const at = `tokens file ${where}, entry ${i + 1}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new Error(`${at}: expected a mapping with name, token (or certSubject) and scopes`);
    const { name, token, certSubject, scopes: given, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new Error(`${at}: unknown key "${unknown[0]}" (expected name, token, certSubject, scopes)`);
    if (typeof name !== "string" || name.trim() === "") throw new Error(`${at}: name must be a non-empty string`);
    if (names.has(name)) throw new Error(`${at}: name "${name}" is used twice`);
    names.add(name);
    if ((token === undefined) === (certSubject === undefined)) throw new Error(`${at} (${name}): give exactly one of token and certSubject`);
    if (!Array.isArray(given) || given.length === 0) throw new Error(`${at} (${name}): scopes must be a non-empty list of ${scopes.join(", ")}`);
    for (const scope of given) {
      if (!(scopes as readonly unknown[]).includes(scope)) throw new Error(`${at} (${name}): unknown scope ${JSON.stringify(scope)} (expected ${scopes.join(", ")})`);
    }
    const entryScopes = new Set(given as Scope[]);
    if (token !== undefined) {
      if (typeof token !== "string" || token.length < minTokenLength) throw new Error(`${at} (${name}): token must be a string of at least ${minTokenLength} characters`);
      const hash = tokenHash(token);
      if (hashes.has(hash.toString("hex"))) throw new Error(`${at} (${name}): this token is also another entry's`);
      hashes.add(hash.toString("hex"));
      return { name, scopes: entryScopes, tokenHash: hash };
    }
    if (typeof certSubject !== "string" || certSubject.trim() === "") throw new Error(`${at} (${name}): certSubject must be a non-empty string`);
    return { name, scopes: entryScopes, certSubject };
  });
}
