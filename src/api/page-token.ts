/**
 * Page tokens of transaction listings: a row's keyset cursor, opaque to clients (base64url of
 * JSON), checked on the way back in so a forged token is INVALID_ARGUMENT, never a database
 * error. Shared by every API that lists transactions. Internal module.
 */
import type { TransactionCursor } from "../store/index.js";
import { invalid, validateGid } from "./validate.js";

// As Postgres prints a timestamptz: `2026-12-03 15:02:01.123456+00`.
const timestampText = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

export function encodePageToken(cursor: TransactionCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdKey, cursor.gid])).toString("base64url");
}

export function decodePageToken(token: string, field: string): TransactionCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  const malformed = () => invalid(field, "malformed; pass the token the previous page gave");
  if (!Array.isArray(value) || value.length !== 2) throw malformed();
  const [createdKey, gid] = value as unknown[];
  if (typeof createdKey !== "string" || !timestampText.test(createdKey) || typeof gid !== "string") throw malformed();
  return { createdKey, gid: validateGid(gid, field) };
}
