/**
 * Topics: named, versioned lists of subscriber targets, and the fan-out of a MSG step whose action
 * is `topic://<name>` into one step per subscriber when the message is stored (so a message keeps
 * the subscribers it was stored with, whatever happens to the topic later). Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { StepSpec, TopicRecord, TransactionSpec } from "../model.js";
import type { Store } from "../store/index.js";
import type { CallGate } from "./call-gate.js";

const topicPrefix = "topic://";

/** The target a MSG step names a topic with. */
export function topicTarget(name: string): string {
  return `${topicPrefix}${name}`;
}

/** The topic name a `topic://<name>` target names (possibly malformed), or undefined for any other target. */
export function topicOfTarget(target: string): string | undefined {
  return target.startsWith(topicPrefix) ? target.slice(topicPrefix.length) : undefined;
}

export interface TopicsOptions {
  readonly store: Store;
  /** The coordinator's API call gate (refuses calls at shutdown, counts those in flight). */
  readonly calls: CallGate;
}

export function createTopics({ store, calls }: TopicsOptions) {
  async function subscribe(name: string, target: string, remark: string): Promise<TopicRecord> {
    const result = await store.subscribe(name, target, remark);
    if (result.kind === "exists") throw new ConnectError(`target: "${target}" is already subscribed to topic "${name}"`, Code.FailedPrecondition);
    return result.topic;
  }

  async function unsubscribe(name: string, target: string): Promise<TopicRecord> {
    const result = await store.unsubscribe(name, target);
    switch (result.kind) {
      case "unsubscribed":
        return result.topic;
      case "no-topic":
        throw noTopic(name);
      case "not-subscribed":
        throw new ConnectError(`target: "${target}" is not subscribed to topic "${name}"`, Code.FailedPrecondition);
    }
  }

  async function deleteTopic(name: string): Promise<void> {
    if (!(await store.deleteTopic(name))) throw noTopic(name);
  }

  async function get(name: string): Promise<TopicRecord> {
    const topic = await store.getTopic(name);
    if (!topic) throw noTopic(name);
    return topic;
  }

  /** A page of topics by name after `after`, and whether more follow. */
  async function list(limit: number, after?: string): Promise<{ topics: TopicRecord[]; more: boolean }> {
    const topics = await store.listTopics(limit + 1, after);
    return { topics: topics.slice(0, limit), more: topics.length > limit };
  }

  /**
   * The steps of a message with every topic step replaced by one step per subscriber (branch ids
   * `01-01`, `01-02`, …; a single subscriber keeps `01`), each with the topic step's payload, and
   * the payloads to match. A spec without topic steps comes back as it is, with no store read.
   * A topic without subscribers is FAILED_PRECONDITION naming the step.
   */
  async function fanOut(spec: TransactionSpec, payloads: readonly Uint8Array[]): Promise<{ spec: TransactionSpec; payloads: readonly Uint8Array[] }> {
    if (!spec.steps.some((s) => topicOfTarget(s.action) !== undefined)) return { spec, payloads };
    const steps: StepSpec[] = [];
    const fanned: Uint8Array[] = [];
    for (const [i, step] of spec.steps.entries()) {
      const name = topicOfTarget(step.action);
      const payload = payloads[i] ?? new Uint8Array(0);
      if (name === undefined) {
        steps.push(step);
        fanned.push(payload);
        continue;
      }
      const subscribers = (await store.getTopic(name))?.subscribers ?? [];
      if (subscribers.length === 0) {
        throw new ConnectError(`msg.steps[${i}].action: topic not found: "${name}" has no subscribers`, Code.FailedPrecondition);
      }
      subscribers.forEach((s, j) => {
        const branchId = subscribers.length === 1 ? step.branchId : `${step.branchId}-${String(j + 1).padStart(2, "0")}`;
        steps.push({ ...step, branchId, action: s.target, topic: name });
        fanned.push(payload);
      });
    }
    return { spec: { ...spec, steps }, payloads: fanned };
  }

  return {
    subscribe: calls.admitted(subscribe),
    unsubscribe: calls.admitted(unsubscribe),
    deleteTopic: calls.admitted(deleteTopic),
    get: calls.admitted(get),
    list: calls.admitted(list),
    /** For the core's own use within a call already admitted. */
    fanOut,
  };
}

export type Topics = ReturnType<typeof createTopics>;

function noTopic(name: string): ConnectError {
  return new ConnectError(`topic: no topic "${name}"`, Code.NotFound);
}
