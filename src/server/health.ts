/**
 * The standard gRPC health service (`grpc.health.v1.Health`), so Kubernetes probes,
 * grpc_health_probe and grpcurl can ask whether this coordinator takes work. Internal module.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from "../../gen/ts/grpc/health/v1/health_pb.js";

export interface HealthState {
  /**
   * Register `grpc.health.v1.Health` on a router, answering for "" (the server as a whole) and
   * for every service already registered on it: call it after the application's routes, so a
   * service added there is reported with no list to keep in step.
   */
  register(router: ConnectRouter): void;
  /** SERVING or NOT_SERVING for every name; open Watch streams see the change. */
  setServing(serving: boolean): void;
  serving(): boolean;
  /** Report NOT_SERVING and end every open Watch stream, so servers can close without waiting for clients. */
  shutdown(): void;
}

/** Create the health state; it starts as `serving` (default true). */
export function createHealth(serving = true): HealthState {
  let current = serving;
  let names: readonly string[] = [""];
  let closed = false;
  // A version counter rather than a plain event: a Watch that was busy yielding when the
  // status changed still sees that a change happened when it comes back to wait.
  let version = 0;
  const waiters = new Set<() => void>();

  const statusOf = (service: string): ServingStatus =>
    !names.includes(service)
      ? ServingStatus.SERVICE_UNKNOWN
      : current
        ? ServingStatus.SERVING
        : ServingStatus.NOT_SERVING;

  const bump = () => {
    version++;
    for (const wake of [...waiters]) wake();
  };

  /** Resolve once the version moves past `seen`, the state shuts down, or the client leaves. */
  const nextChange = (seen: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (version !== seen || closed || signal.aborted) return resolve();
      const wake = () => {
        waiters.delete(wake);
        signal.removeEventListener("abort", wake);
        resolve();
      };
      waiters.add(wake);
      signal.addEventListener("abort", wake);
    });

  async function* watch(request: HealthCheckRequest, context: HandlerContext): AsyncGenerator<HealthCheckResponse> {
    let last: ServingStatus | undefined;
    for (;;) {
      const seen = version;
      const status = statusOf(request.service);
      // The protocol sends the current status first, then only changes. On shutdown the
      // watcher still gets the final NOT_SERVING before its stream ends.
      if (status !== last) {
        last = status;
        yield create(HealthCheckResponseSchema, { status });
      }
      if (closed || context.signal.aborted) return;
      await nextChange(seen, context.signal);
    }
  }

  return {
    register(router) {
      names = ["", ...new Set(router.handlers.map((h) => h.service.typeName))];
      router.service(Health, {
        check(request) {
          const status = statusOf(request.service);
          if (status === ServingStatus.SERVICE_UNKNOWN) {
            throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
          }
          return { status };
        },
        list() {
          const statuses: Record<string, HealthCheckResponse> = {};
          for (const name of names) statuses[name] = create(HealthCheckResponseSchema, { status: statusOf(name) });
          return { statuses };
        },
        watch,
      });
    },
    setServing(serving) {
      if (serving === current) return;
      current = serving;
      bump();
    },
    serving: () => current,
    shutdown() {
      closed = true;
      current = false;
      bump();
    },
  };
}
