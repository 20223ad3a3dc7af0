/**
 * concord.v1.TopicService handlers: decode → core → answer. Internal module.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { TopicService } from "../../gen/ts/concord/v1/topic_service_pb.js";
import type { Topics } from "../engine/index.js";
import { toProtoTopic } from "./to-proto.js";
import { admitTargets, type TargetAdmission } from "./admit-targets.js";
import { invalid, validateTarget, validateTopicName } from "./validate.js";

const defaultPageSize = 100;
const maxPageSize = 1000;
const maxRemarkBytes = 1024;

/** `admission`: the outbound policy a subscriber is checked against before it is stored. */
export function registerTopicService(router: ConnectRouter, topics: Topics, admission: TargetAdmission): void {
  router.service(TopicService, {
    async subscribe(req) {
      const name = validateTopicName(req.topic, "topic");
      const target = validateSubscriber(req.target);
      if (Buffer.byteLength(req.remark) > maxRemarkBytes) throw invalid("remark", `at most ${maxRemarkBytes} bytes`);
      await admitTargets(admission, [{ field: "target", target }]);
      return { topic: toProtoTopic(await topics.subscribe(name, target, req.remark)) };
    },
    async unsubscribe(req) {
      const name = validateTopicName(req.topic, "topic");
      if (req.target === "") throw invalid("target", "required");
      return { topic: toProtoTopic(await topics.unsubscribe(name, req.target)) };
    },
    async deleteTopic(req) {
      await topics.deleteTopic(validateTopicName(req.topic, "topic"));
      return {};
    },
    async getTopic(req) {
      return { topic: toProtoTopic(await topics.get(validateTopicName(req.topic, "topic"))) };
    },
    async listTopics(req) {
      if (req.pageSize > maxPageSize) throw invalid("page_size", `at most ${maxPageSize}`);
      const after = req.pageToken === "" ? undefined : decodeTopicToken(req.pageToken);
      const page = await topics.list(req.pageSize || defaultPageSize, after);
      return { topics: page.topics.map(toProtoTopic), nextPageToken: page.more ? encodeTopicToken(page.topics.at(-1)!.name) : "" };
    },
  });
}

/** A subscriber is a callable branch target: gRPC or HTTP, never empty, never another topic. */
export function validateSubscriber(target: string, field = "target"): string {
  if (target === "") throw invalid(field, "required");
  return validateTarget(target, field);
}

/** Page tokens are opaque: the last topic name of the page, base64url. */
function encodeTopicToken(name: string): string {
  return Buffer.from(name).toString("base64url");
}

function decodeTopicToken(token: string): string {
  const name = Buffer.from(token, "base64url").toString("utf8");
  if (encodeTopicToken(name) !== token) throw invalid("page_token", "malformed; pass next_page_token of the previous page");
  return validateTopicName(name, "page_token");
}
