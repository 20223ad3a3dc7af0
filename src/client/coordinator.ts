/**
 * The client factory: a generated Connect client of the coordinator, and the address it talks
 * to. Part of `concord/client`.
 */
import { createClient } from "@connectrpc/connect";
import type { Client, Transport } from "@connectrpc/connect";
import { createGrpcTransport, createConnectTransport } from "@connectrpc/connect-node";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import { TopicService } from "../../gen/ts/concord/v1/topic_service_pb.js";

export type CoordinatorClient = Client<typeof CoordinatorService>;
export type TopicClient = Client<typeof TopicService>;

export interface ConcordClientOptions {
  /** Coordinator URL: `http://localhost:36790` (gRPC port) or `http://localhost:36789` with `protocol: "connect"`. */
  readonly baseUrl: string;
  /** `grpc` (HTTP/2, default) or `connect` (Connect protocol, works over HTTP/1.1). */
  readonly protocol?: "grpc" | "connect";
  /** Use this transport instead (interceptors, TLS, …). */
  readonly transport?: Transport;
}

function transportOf(options: ConcordClientOptions): Transport {
  return (
    options.transport ??
    (options.protocol === "connect"
      ? createConnectTransport({ baseUrl: options.baseUrl, httpVersion: "1.1" })
      : createGrpcTransport({ baseUrl: options.baseUrl }))
  );
}

/** A generated Connect client of concord.v1.TopicService: the topics `topic://<name>` MSG steps fan out to. */
export function createTopicClient(options: ConcordClientOptions): TopicClient {
  return createClient(TopicService, transportOf(options));
}

/** A generated Connect client of concord.v1.CoordinatorService. */
export function createConcordClient(options: ConcordClientOptions): CoordinatorClient {
  const client = createClient(CoordinatorService, transportOf(options));
  addresses.set(client, new URL(options.baseUrl).host);
  return client;
}

const addresses = new WeakMap<CoordinatorClient, string>();

/** The coordinator's `host:port` a client talks to: sent to branches as `dtm-dtm`. */
export function coordinatorAddress(client: CoordinatorClient): string {
  return addresses.get(client) ?? "";
}
