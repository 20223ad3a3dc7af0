package dev.concord.examples.bank;

import bank.v1.Bank.TransferRequest;
import bank.v1.Bank.TransferResponse;
import bank.v1.BankServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The example bank: a branch service holding balances in memory. Concord calls its methods with the
 * request bytes the client put in the step payload and the dtm-* metadata; a business "no"
 * (insufficient funds) is the status ABORTED.
 *
 * <p>Branch calls are at-least-once, so each (gid, branch id, op) is applied once, and the two
 * races dtm's barrier guards against are handled the same way in memory: a compensation/cancel whose
 * action/try never ran does nothing ("null compensation"), and an action/try arriving after its
 * compensation/cancel does nothing ("hanging").
 */
final class BankService extends BankServiceGrpc.BankServiceImplBase {
  /** The metadata of the call being served, put in the gRPC context by {@link #metadataInterceptor()}. */
  private static final Context.Key<Metadata> METADATA = Context.key("dtm-metadata");

  private static final Map<String, String> UNDOES = Map.of("compensate", "action", "cancel", "try");

  private final Map<String, Long> balances = new HashMap<>();
  private final Map<String, Long> frozen = new HashMap<>();
  private final Set<String> done = new HashSet<>();

  BankService(Map<String, Long> opening) {
    balances.putAll(opening);
  }

  /** Makes each call's metadata readable by the handlers. */
  static ServerInterceptor metadataInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
          io.grpc.ServerCall<Q, R> call, Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(METADATA, headers), call, headers, next);
      }
    };
  }

  synchronized long balance(String account) {
    return balances.getOrDefault(account, 0L);
  }

  synchronized long frozen(String account) {
    return frozen.getOrDefault(account, 0L);
  }

  private static final class InsufficientFunds extends Exception {
    InsufficientFunds(String account) {
      super("insufficient funds in " + account);
    }
  }

  private interface Change {
    void apply(TransferRequest t) throws InsufficientFunds;
  }

  private static String dtm(Metadata md, String key) {
    return md == null ? null : md.get(Metadata.Key.of("dtm-" + key, Metadata.ASCII_STRING_MARSHALLER));
  }

  private void serve(TransferRequest request, StreamObserver<TransferResponse> reply, Change change) {
    Metadata md = METADATA.get();
    String gid = dtm(md, "gid"), branchId = dtm(md, "branch_id"), op = dtm(md, "op");
    if (gid == null || branchId == null || op == null) {
      reply.onError(Status.INVALID_ARGUMENT.withDescription("not a Concord branch call: no dtm-gid/dtm-branch_id/dtm-op metadata").asRuntimeException());
      return;
    }
    String branch = gid + ":" + branchId + ":";
    synchronized (this) {
      String origin = UNDOES.get(op);
      boolean repeated = done.contains(branch + op);
      boolean nullCompensation = origin != null && !done.contains(branch + origin);
      boolean hanging = origin == null && (done.contains(branch + "compensate") || done.contains(branch + "cancel"));
      if (!repeated && !nullCompensation && !hanging) {
        try {
          change.apply(request);
        } catch (InsufficientFunds e) {
          reply.onError(Status.ABORTED.withDescription(e.getMessage()).asRuntimeException());
          return;
        }
      }
      done.add(branch + op);
    }
    reply.onNext(TransferResponse.getDefaultInstance());
    reply.onCompleted();
  }

  private void move(String account, long delta) throws InsufficientFunds {
    long next = balance(account) + delta;
    if (next < frozen(account)) throw new InsufficientFunds(account);
    balances.put(account, next);
  }

  private void freeze(String account, long delta) throws InsufficientFunds {
    long next = frozen(account) + delta;
    if (next > balance(account)) throw new InsufficientFunds(account);
    frozen.put(account, next);
  }

  @Override
  public void transOut(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> move(t.getAccount(), -t.getAmount()));
  }

  @Override
  public void transOutCompensate(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> move(t.getAccount(), t.getAmount()));
  }

  @Override
  public void transIn(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> move(t.getAccount(), t.getAmount()));
  }

  @Override
  public void transInCompensate(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> move(t.getAccount(), -t.getAmount()));
  }

  @Override
  public void tryTransOut(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> freeze(t.getAccount(), t.getAmount()));
  }

  @Override
  public void confirmTransOut(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> {
      freeze(t.getAccount(), -t.getAmount());
      move(t.getAccount(), -t.getAmount());
    });
  }

  @Override
  public void cancelTransOut(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> freeze(t.getAccount(), -t.getAmount()));
  }

  @Override
  public void tryTransIn(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> {});
  }

  @Override
  public void confirmTransIn(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> move(t.getAccount(), t.getAmount()));
  }

  @Override
  public void cancelTransIn(TransferRequest r, StreamObserver<TransferResponse> o) {
    serve(r, o, t -> {});
  }
}
