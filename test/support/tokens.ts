/**
 * The API tokens the authentication tests share: four callers, one per way a scope is used, in a
 * tokens file (`--tokens-file`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** The token of a caller of the test tokens file (at least 32 characters, as the README asks). */
export const testToken = (name: string): string => `${name}-token-0123456789abcdefghijklmnopqrstuvwxyz`;

/**
 * Write `tokens.yaml` into `dir` and return its path: `orders` and `other` with submit,
 * `auditor` with read, `ops` with admin.
 */
export function writeTestTokens(dir: string): string {
  const file = join(dir, "tokens.yaml");
  const entries: [string, string][] = [
    ["orders", "submit"],
    ["other", "submit"],
    ["auditor", "read"],
    ["ops", "admin"],
  ];
  writeFileSync(file, entries.map(([name, scope]) => `- {name: ${name}, token: "${testToken(name)}", scopes: [${scope}]}`).join("\n"));
  return file;
}
