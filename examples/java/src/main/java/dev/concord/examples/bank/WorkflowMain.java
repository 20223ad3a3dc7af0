package dev.concord.examples.bank;

import bank.v1.TransferWorkflow.Outcome;
import bank.v1.TransferWorkflow.StartRequest;
import bank.v1.TransferWorkflow.StartResponse;
import bank.v1.TransferWorkflowServiceGrpc;
import bank.v1.TransferWorkflowServiceGrpc.TransferWorkflowServiceBlockingStub;
import dev.concord.v1.Branch;
import dev.concord.v1.CoordinatorServiceGrpc;
import dev.concord.v1.CoordinatorServiceGrpc.CoordinatorServiceBlockingStub;
import dev.concord.v1.GetTransactionRequest;
import dev.concord.v1.Mode;
import dev.concord.v1.NewGidRequest;
import dev.concord.v1.Transaction;
import dev.concord.v1.TransactionStatus;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reaches Concord's workflow mode from Java by calling a TypeScript workflow service: two transfers
 * through {@code bank.v1.TransferWorkflowService/Start} (examples/ts/workflow-service.ts), one that
 * succeeds and one that rolls back, each checked in Start's answer and in Concord's own record of
 * the workflow ({@code CoordinatorService.GetTransaction}: MODE_WORKFLOW, SUCCEEDED or FAILED).
 * Exits 0 when every check holds.
 *
 * <p>Arguments (or environment): {@code --coordinator host:port} ({@code CONCORD_ADDRESS}, default
 * localhost:36790), {@code --workflow-service host:port} ({@code WORKFLOW_SERVICE}, default
 * localhost:50061). Every account of the service's bank opens with 100, so each run uses accounts
 * of its own.
 */
public final class WorkflowMain {
  private static final long OPENING = 100;
  private static final long DEADLINE_S = 30;

  private final CoordinatorServiceBlockingStub concord;
  private final TransferWorkflowServiceBlockingStub workflows;
  private final String alice;
  private final String bob;

  private WorkflowMain(CoordinatorServiceBlockingStub concord, TransferWorkflowServiceBlockingStub workflows) {
    this.concord = concord;
    this.workflows = workflows;
    String run = Long.toHexString(System.nanoTime());
    this.alice = "java-alice-" + run;
    this.bob = "java-bob-" + run;
  }

  public static void main(String[] args) throws Exception {
    String coordinator = option(args, "--coordinator", "CONCORD_ADDRESS", "localhost:36790");
    String service = option(args, "--workflow-service", "WORKFLOW_SERVICE", "localhost:50061");
    ManagedChannel concordChannel = Grpc.newChannelBuilder(coordinator, InsecureChannelCredentials.create()).build();
    ManagedChannel serviceChannel = Grpc.newChannelBuilder(service, InsecureChannelCredentials.create()).build();
    int code = 0;
    try {
      WorkflowMain example = new WorkflowMain(CoordinatorServiceGrpc.newBlockingStub(concordChannel), TransferWorkflowServiceGrpc.newBlockingStub(serviceChannel));
      example.transferSucceeds();
      example.transferRollsBack();
      System.out.println("java workflow: all checks passed");
    } catch (Exception e) {
      System.err.println("java workflow FAILED: " + e.getMessage());
      code = 1;
    } finally {
      concordChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      serviceChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    System.exit(code);
  }

  /** A started workflow: Start's answer and Concord's record of it. */
  private record Started(String gid, StartResponse answer, Transaction tx) {}

  private Started start(long amount) {
    String gid = concord.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).newGid(NewGidRequest.getDefaultInstance()).getGid();
    StartResponse answer = workflows.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
        .start(StartRequest.newBuilder().setGid(gid).setFromAccount(alice).setToAccount(bob).setAmount(amount).build());
    Transaction tx = concord.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
        .getTransaction(GetTransactionRequest.newBuilder().setGid(gid).build()).getTransaction();
    check(tx.getGid().equals(gid), "GetTransaction(" + gid + ") answered " + tx.getGid());
    check(tx.getMode() == Mode.MODE_WORKFLOW, gid + " has mode " + tx.getMode() + ", want MODE_WORKFLOW");
    return new Started(gid, answer, tx);
  }

  /** (1) alice pays bob 30: both steps done, the workflow SUCCEEDED. */
  private void transferSucceeds() {
    Started s = start(30);
    check(s.answer.getOutcome() == Outcome.OUTCOME_SUCCEEDED, "Start(" + s.gid + ") answered " + s.answer.getOutcome() + " (" + s.answer.getReason() + "), want SUCCEEDED");
    checkBalances(s, OPENING - 30, OPENING + 30);
    check(s.tx.getStatus() == TransactionStatus.TRANSACTION_STATUS_SUCCEEDED, s.gid + " is " + s.tx.getStatus() + ", want SUCCEEDED");
    List<String> want = List.of("01/ACTION/SUCCEEDED", "02/ACTION/SUCCEEDED");
    check(branches(s.tx).equals(want), s.gid + " recorded " + branches(s.tx) + ", want " + want);
    // The same gid again: the recorded outcome, nothing runs twice.
    StartResponse again = workflows.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
        .start(StartRequest.newBuilder().setGid(s.gid).setFromAccount(alice).setToAccount(bob).setAmount(30).build());
    check(again.getOutcome() == Outcome.OUTCOME_SUCCEEDED && again.getFromBalance() == s.answer.getFromBalance() && again.getToBalance() == s.answer.getToBalance(),
        "Start(" + s.gid + ") again answered " + again.getOutcome() + " alice=" + again.getFromBalance() + " bob=" + again.getToBalance() + ", want SUCCEEDED and no second transfer");
    System.out.printf("workflow %s succeeded: alice=%d bob=%d; Concord has it %s SUCCEEDED%n", s.gid, s.answer.getFromBalance(), s.answer.getToBalance(), s.tx.getMode());
  }

  /** (2) alice pays bob 500, more than she has: bob's credit is compensated, the workflow FAILED. */
  private void transferRollsBack() {
    Started s = start(500);
    check(s.answer.getOutcome() == Outcome.OUTCOME_FAILED, "Start(" + s.gid + ") answered " + s.answer.getOutcome() + ", want FAILED");
    check(s.answer.getReason().contains("insufficient funds"), "Start(" + s.gid + ") gave the reason '" + s.answer.getReason() + "', want the debit's failure");
    checkBalances(s, OPENING - 30, OPENING + 30); // unchanged by the rolled-back transfer
    check(s.tx.getStatus() == TransactionStatus.TRANSACTION_STATUS_FAILED, s.gid + " is " + s.tx.getStatus() + ", want FAILED");
    check(s.tx.getRollbackReason().contains("insufficient funds"), s.gid + " has the rollback reason '" + s.tx.getRollbackReason() + "'");
    check(branches(s.tx).contains("01/ROLLBACK/SUCCEEDED"), s.gid + " recorded " + branches(s.tx) + ": no compensation of step 01");
    System.out.printf("workflow %s rolled back (%s): balances unchanged; Concord has it %s FAILED%n", s.gid, s.tx.getRollbackReason(), s.tx.getMode());
  }

  private static void checkBalances(Started s, long alice, long bob) {
    check(s.answer.getFromBalance() == alice && s.answer.getToBalance() == bob,
        String.format("after %s: alice=%d bob=%d, want %d and %d", s.gid, s.answer.getFromBalance(), s.answer.getToBalance(), alice, bob));
  }

  /** The recorded steps as branch_id/op/status, e.g. 01/ACTION/SUCCEEDED. */
  private static List<String> branches(Transaction tx) {
    List<String> steps = new ArrayList<>();
    for (Branch b : tx.getBranchesList()) {
      steps.add(b.getBranchId() + "/" + name(b.getOp(), "BRANCH_OP_") + "/" + name(b.getStatus(), "BRANCH_STATUS_"));
    }
    return steps;
  }

  private static String name(Enum<?> value, String prefix) {
    return value.name().substring(prefix.length());
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
