/**
 * The client factory: a generated Connect client of the coordinator, and the address it talks
 * to. Part of `concord/client`.
 */
import { rootCertificates } from "node:tls";
import { createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport, createConnectTransport } from "@connectrpc/connect-node";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import { TopicService } from "../../gen/ts/concord/v1/topic_service_pb.js";
import { WorkflowService } from "../../gen/ts/concord/v1/workflow_service_pb.js";

export type CoordinatorClient = Client<typeof CoordinatorService>;
export type TopicClient = Client<typeof TopicService>;
export type WorkflowClient = Client<typeof WorkflowService>;

export interface ConcordClientOptions {
  /** Coordinator URL: `http://localhost:36790` (gRPC port) or `http://localhost:36789` with `protocol: "connect"`. */
  readonly baseUrl: string;
  /** `grpc` (HTTP/2, default) or `connect` (Connect protocol, works over HTTP/1.1). */
  readonly protocol?: "grpc" | "connect";
  /** Sent as `authorization: Bearer <token>` with every call: a token of the coordinator's tokens file, or a JWT. */
  readonly token?: string;
  /**
   * For an `https://` baseUrl: PEM CA certificates to trust beside the system's roots (a private
   * CA), and a client certificate and key (mTLS).
   */
  readonly tls?: { readonly ca?: string | Buffer; readonly cert?: string | Buffer; readonly key?: string | Buffer };
  /** Use this transport instead (more interceptors, other options); `token` and `tls` are then ignored. */
  readonly transport?: Transport;
}

function transportOf(options: ConcordClientOptions): Transport {
  if (options.transport) return options.transport;
  const { token, tls } = options;
  const interceptors: Interceptor[] =
    token === undefined
      ? []
      : [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${token}`);
            return next(req);
          },
        ];
  const nodeOptions =
    tls === undefined
      ? undefined
      : {
          ...(tls.ca === undefined ? {} : { ca: [...rootCertificates, tls.ca.toString()] }),
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
        };
  return options.protocol === "connect"
    ? createConnectTransport({ baseUrl: options.baseUrl, httpVersion: "1.1", interceptors, ...(nodeOptions ? { nodeOptions } : {}) })
    : createGrpcTransport({ baseUrl: options.baseUrl, interceptors, ...(nodeOptions ? { nodeOptions } : {}) });
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

/**
 * A generated Connect client of concord.v1.WorkflowService: what `createWorkflows` records a
 * workflow's steps with.
 */
export function createWorkflowClient(options: ConcordClientOptions): WorkflowClient {
  const client = createClient(WorkflowService, transportOf(options));
  addresses.set(client, new URL(options.baseUrl).host);
  return client;
}

const addresses = new WeakMap<CoordinatorClient | WorkflowClient, string>();

/** The coordinator's `host:port` a client talks to: sent to branches as `dtm-dtm`. */
export function coordinatorAddress(client: CoordinatorClient | WorkflowClient): string {
  return addresses.get(client) ?? "";
}
