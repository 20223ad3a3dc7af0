/**
 * dtm's gRPC service `dtmgimp.Dtm` (dtm-compat.md §3) on the gRPC port beside concord.v1: each
 * method translates and calls the dtm service; FAILURE answers ABORTED, as dtmgrpc expects.
 * Internal module.
 */
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { Dtm } from "../../gen/ts/dtmgimp/dtmgimp_pb.js";
import { principalOf } from "../auth/index.js";
import { dtmGrpcError } from "./errors.js";
import type { DtmCall, DtmService } from "./service.js";
import { branchFromGrpc, transFromGrpc } from "./wire.js";
import { dtmStatus, dtmStepOp } from "./view.js";

/** A gRPC request's part of a call: the caller, its deadline and traceparent. */
function callOf(ctx: HandlerContext): DtmCall {
  return { deadlineMs: ctx.timeoutMs(), traceparent: ctx.requestHeader.get("traceparent") ?? undefined, principal: principalOf(ctx.values) };
}

export function registerDtmGrpcService(router: ConnectRouter, service: DtmService): void {
  const answer = async <R>(op: () => Promise<R>): Promise<R> => {
    try {
      return await op();
    } catch (error) {
      throw dtmGrpcError(error);
    }
  };
  router.service(Dtm, {
    newGid: () => answer(async () => ({ Gid: service.newGid() })),
    submit: (req, ctx) => answer(async () => service.submit(transFromGrpc(req), callOf(ctx)).then(() => ({}))),
    prepare: (req, ctx) => answer(async () => service.prepare(transFromGrpc(req), callOf(ctx)).then(() => ({}))),
    abort: (req, ctx) => answer(async () => service.abort(transFromGrpc(req), callOf(ctx)).then(() => ({}))),
    registerBranch: (req, ctx) => answer(async () => service.registerBranch(branchFromGrpc(req), "grpc", callOf(ctx)).then(() => ({}))),
    prepareWorkflow: (req, ctx) =>
      answer(async () => {
        const { transaction: tx, progresses } = await service.prepareWorkflow(transFromGrpc(req), callOf(ctx));
        return {
          Transaction: {
            Gid: tx.gid,
            Status: dtmStatus(tx.status),
            RollbackReason: tx.rollbackReason,
            // As dtm stores it: the base64 its client gave.
            Result: tx.result.byteLength > 0 ? Buffer.from(tx.result).toString("base64") : "",
          },
          Progresses: progresses.map((b) => ({ Status: dtmStatus(b.status), BinData: b.payload, BranchID: b.branchId, Op: dtmStepOp(b.op) })),
        };
      }),
    subscribe: (req) => answer(async () => service.subscribe(req.Topic, req.URL, req.Remark).then(() => ({}))),
    unsubscribe: (req) => answer(async () => service.unsubscribe(req.Topic, req.URL).then(() => ({}))),
    deleteTopic: (req) => answer(async () => service.deleteTopic(req.Topic).then(() => ({}))),
  });
}
