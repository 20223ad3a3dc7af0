/**
 * A pg pool for Kysely that sends the store's hot statements as named prepared statements.
 * Internal module.
 *
 * Why: node-pg sends every query as an unnamed statement, which Postgres parses and plans on
 * every call. The per-saga statements are large data-modifying CTEs, and planning them cost more
 * Postgres CPU than running them. Named, they are parsed and planned once per connection.
 * Statements opt in by starting with `preparedMark`; the name is derived from the text, so two
 * texts never share a name.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/** Put at the start of a statement's text to have it prepared. */
export const preparedMark = "/* prepared */ ";

/**
 * Most distinct statement texts prepared per pool. Texts vary a little (a VALUES list per step
 * count); past this, further texts run unnamed, so a connection's prepared statements stay bounded.
 */
const maxPreparedTexts = 256;

export function createPreparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();

  function nameOf(text: string): string | undefined {
    let name = names.get(text);
    if (name === undefined && names.size < maxPreparedTexts) {
      name = `concord_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  }

  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): unknown {
        if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as unknown as pg.Submittable);
        const name = sqlOrCursor.startsWith(preparedMark) ? nameOf(sqlOrCursor) : undefined;
        const values = parameters ? [...parameters] : [];
        return name === undefined ? client.query(sqlOrCursor, values) : client.query({ name, text: sqlOrCursor, values });
      }
      return { query, release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
