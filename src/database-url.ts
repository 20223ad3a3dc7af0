/**
 * Checking and printing Postgres connection URLs without ever showing their password.
 * Internal module: used by the configuration and by the store's start-up.
 */

/** The URL schemes node-postgres reads as a Postgres server URL. */
const postgresSchemes = ["postgres:", "postgresql:"] as const;

/**
 * Why `text` is not a usable Postgres server URL, or `undefined` when it is. The reason never
 * quotes the value: a malformed URL may still hold a password (`user:secret@host/db` even
 * parses, with `user:` as its scheme), so only the scheme is ever named.
 */
export function postgresUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "it is not a URL";
  }
  if (!(postgresSchemes as readonly string[]).includes(url.protocol)) {
    // A scheme is letters, digits, `+`, `-` and `.`: safe to show, and it says what went wrong.
    return `its scheme is "${url.protocol}", not postgres: or postgresql:`;
  }
  return undefined;
}

/**
 * `url` with its password (in the user info or a `password` query parameter) replaced by `***`,
 * for logs and error messages. A value that does not parse as a URL is not shown at all.
 */
export function maskDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(unparseable URL)";
  }
  if (parsed.password) parsed.password = "***";
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
  return parsed.toString();
}
