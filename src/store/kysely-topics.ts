/**
 * The store's topic queries: each change is one statement under the topic's row lock, so
 * concurrent changes queue instead of losing updates, and each adds exactly one to the version.
 * Internal module; `createKyselyStore` serves them.
 */
import { sql, type Kysely, type Selectable } from "kysely";
import type { TopicRecord } from "../model.js";
import type { Database, TopicsTable } from "./schema.js";
import type { Store, SubscribeResult, UnsubscribeResult } from "./store.js";

type TopicRow = Selectable<TopicsTable>;
type TopicQueries = Pick<Store, "getTopic" | "listTopics" | "subscribe" | "unsubscribe" | "deleteTopic">;

export function createTopicQueries(db: Kysely<Database>): TopicQueries {
  async function getTopic(name: string): Promise<TopicRecord | undefined> {
    const { rows } = await sql<TopicRow>`select * from concord.topics where name = ${name}`.execute(db);
    const row = rows[0];
    return row ? toTopic(row) : undefined;
  }

  async function subscribe(name: string, target: string, remark: string): Promise<SubscribeResult> {
    // One statement: create the topic, or append under its row lock unless the target is
    // already there. Concurrent subscribers queue on the lock instead of losing updates, and
    // each change adds exactly one to the version.
    const { rows } = await sql<TopicRow>`
      insert into concord.topics as t (name, subscribers, version)
      values (${name}, jsonb_build_array(jsonb_build_object('target', ${target}::text, 'remark', ${remark}::text)), 1)
      on conflict (name) do update
        set subscribers = t.subscribers || excluded.subscribers, version = t.version + 1, updated_at = now()
        where not (t.subscribers @> jsonb_build_array(jsonb_build_object('target', ${target}::text)))
      returning *`.execute(db);
    const row = rows[0];
    if (row) return { kind: "subscribed", topic: toTopic(row) };
    const topic = await getTopic(name);
    // Deleted between the two statements: subscribing again creates it.
    return topic ? { kind: "exists", topic } : subscribe(name, target, remark);
  }

  return {
    getTopic,
    async listTopics(limit: number, after?: string): Promise<TopicRecord[]> {
      const { rows } = await sql<TopicRow>`
        select * from concord.topics ${after === undefined ? sql`` : sql`where name > ${after}`}
        order by name limit ${limit}::int`.execute(db);
      return rows.map(toTopic);
    },

    subscribe,

    async unsubscribe(name: string, target: string): Promise<UnsubscribeResult> {
      const { rows } = await sql<TopicRow & { changed: boolean }>`
        with current_topic as (
          select * from concord.topics where name = ${name} for update
        ), updated as (
          update concord.topics t
          set subscribers = (
              select coalesce(jsonb_agg(s.e order by s.i), '[]'::jsonb)
              from jsonb_array_elements(c.subscribers) with ordinality as s(e, i)
              where s.e->>'target' <> ${target}::text
            ),
            version = t.version + 1, updated_at = now()
          from current_topic c
          where t.name = c.name and c.subscribers @> jsonb_build_array(jsonb_build_object('target', ${target}::text))
          returning t.*
        )
        select updated.*, true as changed from updated
        union all
        select current_topic.*, false as changed from current_topic where not exists (select 1 from updated)`.execute(db);
      const row = rows[0];
      if (!row) return { kind: "no-topic" };
      return row.changed ? { kind: "unsubscribed", topic: toTopic(row) } : { kind: "not-subscribed", topic: toTopic(row) };
    },

    async deleteTopic(name: string): Promise<boolean> {
      const { rows } = await sql<{ name: string }>`delete from concord.topics where name = ${name} returning name`.execute(db);
      return rows.length > 0;
    }
  };
}

function toTopic(r: TopicRow): TopicRecord {
  return {
    name: r.name,
    subscribers: r.subscribers.map((s) => ({ target: s.target, remark: s.remark })),
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

