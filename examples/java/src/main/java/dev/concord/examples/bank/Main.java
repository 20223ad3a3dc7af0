package dev.concord.examples.bank;

import bank.v1.Bank.TransferRequest;
import bank.v1.BankServiceGrpc;
import dev.concord.v1.CoordinatorServiceGrpc;
import dev.concord.v1.CoordinatorServiceGrpc.CoordinatorServiceBlockingStub;
import dev.concord.v1.NewGidRequest;
import dev.concord.v1.PrepareRequest;
import dev.concord.v1.RegisterBranchRequest;
import dev.concord.v1.SubmitRequest;
import dev.concord.v1.Branch;
import dev.concord.v1.BranchOp;
import dev.concord.v1.BranchStatus;
import dev.concord.v1.Mode;
import dev.concord.v1.SagaSpec;
import dev.concord.v1.SagaStep;
import dev.concord.v1.TccBranch;
import dev.concord.v1.Transaction;
import dev.concord.v1.TransactionStatus;
import dev.concord.v1.TransOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the example bank, then drives three global transactions through Concord's generated Java
 * client: a saga that succeeds, a saga that rolls back, and a TCC. Exits 0 when every check holds.
 *
 * <p>Arguments (or environment): {@code --coordinator host:port} ({@code CONCORD_ADDRESS}, default
 * localhost:36790), {@code --port N} where the bank listens on 127.0.0.1 ({@code BANK_PORT}, default
 * 50053; 0 picks a free port).
 */
public final class Main {
  private static final String SERVICE = "bank.v1.BankService";

  private final CoordinatorServiceBlockingStub concord;
  private final BankService bank;
  private final String bankAddress;
  private final ManagedChannel bankChannel;
  private final String coordinator;

  private Main(CoordinatorServiceBlockingStub concord, BankService bank, String bankAddress, String coordinator) {
    this.concord = concord;
    this.bank = bank;
    this.bankAddress = bankAddress;
    this.coordinator = coordinator;
    this.bankChannel = Grpc.newChannelBuilder(bankAddress, InsecureChannelCredentials.create()).build();
  }

  public static void main(String[] args) throws Exception {
    String coordinator = option(args, "--coordinator", "CONCORD_ADDRESS", "localhost:36790");
    int port = Integer.parseInt(option(args, "--port", "BANK_PORT", "50053"));

    BankService bank = new BankService(Map.of("alice", 100L, "bob", 0L, "carol", 0L));
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(ServerInterceptors.intercept(bank, BankService.metadataInterceptor()))
        .build()
        .start();
    ManagedChannel channel = Grpc.newChannelBuilder(coordinator, InsecureChannelCredentials.create()).build();
    int code = 0;
    try {
      CoordinatorServiceBlockingStub concord = CoordinatorServiceGrpc.newBlockingStub(channel);
      Main example = new Main(concord, bank, "127.0.0.1:" + server.getPort(), coordinator);
      try {
        example.sagaSucceeds();
        example.sagaRollsBack();
        example.tccSucceeds();
      } finally {
        example.bankChannel.shutdownNow();
      }
      System.out.println("java example: all checks passed");
    } catch (Exception e) {
      System.err.println("java example FAILED: " + e.getMessage());
      code = 1;
    } finally {
      channel.shutdownNow();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    System.exit(code);
  }

  /** (1) alice pays bob 30 in a saga: SUCCEEDED, balances moved. */
  private void sagaSucceeds() {
    Transaction tx = submitSaga(transfer("alice", "bob", 30));
    check(tx.getStatus() == TransactionStatus.TRANSACTION_STATUS_SUCCEEDED, "saga " + tx.getGid() + " is " + tx.getStatus() + ", want SUCCEEDED");
    checkBalances("after the saga", 70, 30, 0);
    System.out.println("saga " + tx.getGid() + " succeeded: alice=70 bob=30");
  }

  /** (2) alice pays bob 30 and bob pays carol 500, which bob cannot: ABORTED, so every step is compensated. */
  private void sagaRollsBack() {
    SagaSpec.Builder spec = transfer("alice", "bob", 30).toBuilder();
    spec.addAllSteps(transfer("bob", "carol", 500).getStepsList());
    Transaction tx = submitSaga(spec.build());
    check(tx.getStatus() == TransactionStatus.TRANSACTION_STATUS_FAILED, "saga " + tx.getGid() + " is " + tx.getStatus() + ", want FAILED");
    check(!tx.getRollbackReason().isEmpty(), "saga " + tx.getGid() + " has no rollback_reason");
    check(branch(tx, "03", BranchOp.BRANCH_OP_ACTION) == BranchStatus.BRANCH_STATUS_FAILED, "action 03 (bob pays 500) did not fail");
    for (String id : new String[] {"01", "02", "03"}) {
      check(branch(tx, id, BranchOp.BRANCH_OP_COMPENSATE) == BranchStatus.BRANCH_STATUS_SUCCEEDED, "compensation " + id + " did not succeed");
    }
    check(branch(tx, "04", BranchOp.BRANCH_OP_ACTION) != BranchStatus.BRANCH_STATUS_SUCCEEDED, "action 04 ran after the failure");
    checkBalances("after the rollback", 70, 30, 0);
    System.out.println("saga " + tx.getGid() + " rolled back (" + tx.getRollbackReason() + "): balances unchanged");
  }

  /** (3) TCC: alice pays bob 25. The client registers each branch and calls its try; Concord confirms. */
  private void tccSucceeds() {
    String gid = concord.newGid(NewGidRequest.getDefaultInstance()).getGid();
    concord.withDeadlineAfter(30, TimeUnit.SECONDS).prepare(PrepareRequest.newBuilder().setGid(gid).setMode(Mode.MODE_TCC).build());
    tccBranch(gid, "01", "TransOut", request("alice", 25));
    tccBranch(gid, "02", "TransIn", request("bob", 25));
    Transaction tx = concord.withDeadlineAfter(30, TimeUnit.SECONDS)
        .submit(SubmitRequest.newBuilder().setGid(gid).setMode(Mode.MODE_TCC).setOptions(TransOptions.newBuilder().setWaitResult(true)).build())
        .getTransaction();
    check(tx.getStatus() == TransactionStatus.TRANSACTION_STATUS_SUCCEEDED, "tcc " + gid + " is " + tx.getStatus() + ", want SUCCEEDED");
    checkBalances("after the tcc", 45, 55, 0);
    check(bank.frozen("alice") == 0, "alice still has " + bank.frozen("alice") + " frozen");
    System.out.println("tcc " + gid + " confirmed: alice=45 bob=55");
  }

  /** Register a TCC branch, then call its try with the metadata Concord would send. */
  private void tccBranch(String gid, String branchId, String method, TransferRequest payload) {
    concord.withDeadlineAfter(30, TimeUnit.SECONDS).registerBranch(RegisterBranchRequest.newBuilder()
        .setGid(gid)
        .setBranchId(branchId)
        .setTcc(TccBranch.newBuilder().setConfirm(target("Confirm" + method)).setCancel(target("Cancel" + method)))
        .setPayload(payload.toByteString())
        .build());
    Metadata md = new Metadata();
    for (String[] kv : new String[][] {{"gid", gid}, {"trans_type", "tcc"}, {"branch_id", branchId}, {"op", "try"}, {"dtm", coordinator}}) {
      md.put(Metadata.Key.of("dtm-" + kv[0], Metadata.ASCII_STRING_MARSHALLER), kv[1]);
    }
    BankServiceGrpc.BankServiceBlockingStub stub = BankServiceGrpc.newBlockingStub(bankChannel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    if (method.equals("TransOut")) stub.tryTransOut(payload);
    else stub.tryTransIn(payload);
  }

  private Transaction submitSaga(SagaSpec saga) {
    String gid = concord.newGid(NewGidRequest.getDefaultInstance()).getGid();
    return concord.withDeadlineAfter(30, TimeUnit.SECONDS)
        .submit(SubmitRequest.newBuilder()
            .setGid(gid)
            .setMode(Mode.MODE_SAGA)
            .setOptions(TransOptions.newBuilder().setWaitResult(true))
            .setSaga(saga)
            .build())
        .getTransaction();
  }

  /** Two saga steps: TransOut from `from`, TransIn to `to`, each with its compensation. */
  private SagaSpec transfer(String from, String to, long amount) {
    return SagaSpec.newBuilder()
        .addSteps(SagaStep.newBuilder().setAction(target("TransOut")).setCompensate(target("TransOutCompensate")).setPayload(request(from, amount).toByteString()))
        .addSteps(SagaStep.newBuilder().setAction(target("TransIn")).setCompensate(target("TransInCompensate")).setPayload(request(to, amount).toByteString()))
        .build();
  }

  private String target(String method) {
    return bankAddress + "/" + SERVICE + "/" + method;
  }

  private static TransferRequest request(String account, long amount) {
    return TransferRequest.newBuilder().setAccount(account).setAmount(amount).build();
  }

  private static BranchStatus branch(Transaction tx, String branchId, BranchOp op) {
    for (Branch b : tx.getBranchesList()) {
      if (b.getBranchId().equals(branchId) && b.getOp() == op) return b.getStatus();
    }
    return BranchStatus.BRANCH_STATUS_UNSPECIFIED;
  }

  private void checkBalances(String when, long alice, long bob, long carol) {
    check(bank.balance("alice") == alice && bank.balance("bob") == bob && bank.balance("carol") == carol,
        String.format("%s: alice=%d bob=%d carol=%d, want %d/%d/%d", when, bank.balance("alice"), bank.balance("bob"), bank.balance("carol"), alice, bob, carol));
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new IllegalStateException(message);
  }

  private static String option(String[] args, String flag, String env, String fallback) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(flag) && i + 1 < args.length) return args[i + 1];
      if (args[i].startsWith(flag + "=")) return args[i].substring(flag.length() + 1);
    }
    String value = System.getenv(env);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
