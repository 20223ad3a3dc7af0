/**
 * Tracing with OpenTelemetry. When configured, an API call that creates a transaction continues
 * the caller's W3C `traceparent` in a span of its own, whose context is stored with the
 * transaction; every run of it (here or on another instance, now or after a retry) is a span in
 * that trace, and every branch call a span whose `traceparent` goes to the branch (gRPC metadata,
 * HTTP header). Spans are exported over OTLP/HTTP.
 *
 * Unconfigured, every function here is a no-op on shared objects: no context is read, stored or
 * sent, and nothing is allocated per call. The provider is this coordinator's own (nothing is
 * registered globally), so several coordinators in one process keep their traces apart.
 * Internal module.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { BranchOutcome } from "./protocol/index.js";
import type { TransactionRecord } from "./model.js";

/** A traced API call (Submit, Prepare): its context is what the transaction's runs continue. */
export interface CallSpan {
  /** The call span's W3C traceparent, to store with the transaction; undefined when tracing is off. */
  readonly traceparent: string | undefined;
  end(error?: unknown): void;
}

/** One run of a transaction. */
export interface RunSpan {
  /** A branch call in this run; `headers` carry its context to the branch. */
  branch(op: string, branchId: string, target: string): BranchSpan;
  end(how: string): void;
}

export interface BranchSpan {
  /** `traceparent` (and `tracestate`) for the branch call: empty when tracing is off. */
  readonly headers: Readonly<Record<string, string>>;
  end(outcome: BranchOutcome): void;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Start the span of an API call named `name`, continuing the caller's `traceparent` when it sent one. */
  startCall(name: string, traceparent: string | undefined, attributes: Readonly<Record<string, string>>): CallSpan;
  /** Start the span of a run of `tx`, in the trace its creation stored. */
  startRun(tx: TransactionRecord): RunSpan;
  /** Export what is left and stop. */
  shutdown(): Promise<void>;
}

const none: Readonly<Record<string, string>> = Object.freeze({});
const noBranch: BranchSpan = { headers: none, end() {} };
const noRun: RunSpan = { branch: () => noBranch, end() {} };
const noCall: CallSpan = { traceparent: undefined, end() {} };

/** Tracing that does nothing, at no cost. */
export const noTracing: Tracing = {
  enabled: false,
  startCall: () => noCall,
  startRun: () => noRun,
  shutdown: () => Promise.resolve(),
};

export interface TracingOptions {
  /** OTLP/HTTP endpoint (`http://collector:4318/v1/traces`), batched. */
  readonly otlpEndpoint?: string;
  /** Or this exporter, span by span (tests). */
  readonly exporter?: SpanExporter;
  /** `service.name` of the spans. Default `concord`. */
  readonly serviceName?: string;
}

/** Tracing as configured: `noTracing` without an endpoint or an exporter. */
export function createTracing(options: TracingOptions): Tracing {
  const exporter = options.exporter ?? (options.otlpEndpoint ? new OTLPTraceExporter({ url: options.otlpEndpoint }) : undefined);
  if (!exporter) return noTracing;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName ?? "concord" }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter })],
  });
  const tracer: Tracer = provider.getTracer("concord");
  const propagator = new W3CTraceContextPropagator();

  /** The context a `traceparent` names (the root when there is none or it is malformed). */
  const contextOf = (traceparent: string | null | undefined) =>
    traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent }, { get: (c, k) => c[k as "traceparent"], keys: (c) => Object.keys(c) }) : ROOT_CONTEXT;
  /** The `traceparent` (and `tracestate`) that carry `span`'s context. */
  const headersOf = (span: Span): Record<string, string> => {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (c, k, v) => (c[k] = v) });
    return carrier;
  };

  return {
    enabled: true,
    startCall(name, traceparent, attributes) {
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, contextOf(traceparent));
      return {
        traceparent: headersOf(span).traceparent,
        end(error) {
          if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : JSON.stringify(error) });
          span.end();
        },
      };
    },
    startRun(tx) {
      const run = tracer.startSpan(
        "concord.run",
        { kind: SpanKind.INTERNAL, attributes: { "concord.gid": tx.gid, "concord.mode": tx.mode, "concord.status": tx.status, "concord.attempt": tx.attempts } },
        contextOf(tx.traceContext),
      );
      const runContext = trace.setSpan(ROOT_CONTEXT, run);
      return {
        branch(op, branchId, target) {
          const span = tracer.startSpan(
            `concord.branch ${op}`,
            { kind: SpanKind.CLIENT, attributes: { "concord.gid": tx.gid, "concord.branch_id": branchId, "concord.op": op, "concord.target": target } },
            runContext,
          );
          return {
            headers: headersOf(span),
            end(outcome) {
              span.setAttribute("concord.outcome", outcome.kind);
              if (outcome.kind === "unknown") span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.message });
              span.end();
            },
          };
        },
        end(how) {
          run.setAttribute("concord.run_end", how);
          run.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
