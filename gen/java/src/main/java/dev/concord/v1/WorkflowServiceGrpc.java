package dev.concord.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * WorkflowService records workflows: distributed transactions a client writes as an ordinary
 * function. The client runs the function and records the outcome of each step as it goes;
 * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
 * its resume target until the client finishes it. A resumed function replays the recorded steps
 * instead of running them again.
 * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
 * client calls the compensations of the steps done so far, in reverse order, records each (op
 * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
 * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
 * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
 * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
 * one without its client uses AdminService.ForceStop.
 * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
 * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
 * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
 * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class WorkflowServiceGrpc {

  private WorkflowServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "concord.v1.WorkflowService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.PrepareWorkflowRequest,
      dev.concord.v1.PrepareWorkflowResponse> getPrepareWorkflowMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PrepareWorkflow",
      requestType = dev.concord.v1.PrepareWorkflowRequest.class,
      responseType = dev.concord.v1.PrepareWorkflowResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.PrepareWorkflowRequest,
      dev.concord.v1.PrepareWorkflowResponse> getPrepareWorkflowMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.PrepareWorkflowRequest, dev.concord.v1.PrepareWorkflowResponse> getPrepareWorkflowMethod;
    if ((getPrepareWorkflowMethod = WorkflowServiceGrpc.getPrepareWorkflowMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getPrepareWorkflowMethod = WorkflowServiceGrpc.getPrepareWorkflowMethod) == null) {
          WorkflowServiceGrpc.getPrepareWorkflowMethod = getPrepareWorkflowMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.PrepareWorkflowRequest, dev.concord.v1.PrepareWorkflowResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PrepareWorkflow"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.PrepareWorkflowRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.PrepareWorkflowResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("PrepareWorkflow"))
              .build();
        }
      }
    }
    return getPrepareWorkflowMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.RecordStepRequest,
      dev.concord.v1.RecordStepResponse> getRecordStepMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RecordStep",
      requestType = dev.concord.v1.RecordStepRequest.class,
      responseType = dev.concord.v1.RecordStepResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.RecordStepRequest,
      dev.concord.v1.RecordStepResponse> getRecordStepMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.RecordStepRequest, dev.concord.v1.RecordStepResponse> getRecordStepMethod;
    if ((getRecordStepMethod = WorkflowServiceGrpc.getRecordStepMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getRecordStepMethod = WorkflowServiceGrpc.getRecordStepMethod) == null) {
          WorkflowServiceGrpc.getRecordStepMethod = getRecordStepMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.RecordStepRequest, dev.concord.v1.RecordStepResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RecordStep"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RecordStepRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RecordStepResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("RecordStep"))
              .build();
        }
      }
    }
    return getRecordStepMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.FinishWorkflowRequest,
      dev.concord.v1.FinishWorkflowResponse> getFinishWorkflowMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "FinishWorkflow",
      requestType = dev.concord.v1.FinishWorkflowRequest.class,
      responseType = dev.concord.v1.FinishWorkflowResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.FinishWorkflowRequest,
      dev.concord.v1.FinishWorkflowResponse> getFinishWorkflowMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.FinishWorkflowRequest, dev.concord.v1.FinishWorkflowResponse> getFinishWorkflowMethod;
    if ((getFinishWorkflowMethod = WorkflowServiceGrpc.getFinishWorkflowMethod) == null) {
      synchronized (WorkflowServiceGrpc.class) {
        if ((getFinishWorkflowMethod = WorkflowServiceGrpc.getFinishWorkflowMethod) == null) {
          WorkflowServiceGrpc.getFinishWorkflowMethod = getFinishWorkflowMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.FinishWorkflowRequest, dev.concord.v1.FinishWorkflowResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "FinishWorkflow"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.FinishWorkflowRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.FinishWorkflowResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WorkflowServiceMethodDescriptorSupplier("FinishWorkflow"))
              .build();
        }
      }
    }
    return getFinishWorkflowMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static WorkflowServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceStub>() {
        @java.lang.Override
        public WorkflowServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceStub(channel, callOptions);
        }
      };
    return WorkflowServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static WorkflowServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingV2Stub>() {
        @java.lang.Override
        public WorkflowServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return WorkflowServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static WorkflowServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceBlockingStub>() {
        @java.lang.Override
        public WorkflowServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceBlockingStub(channel, callOptions);
        }
      };
    return WorkflowServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static WorkflowServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkflowServiceFutureStub>() {
        @java.lang.Override
        public WorkflowServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkflowServiceFutureStub(channel, callOptions);
        }
      };
    return WorkflowServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * WorkflowService records workflows: distributed transactions a client writes as an ordinary
   * function. The client runs the function and records the outcome of each step as it goes;
   * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
   * its resume target until the client finishes it. A resumed function replays the recorded steps
   * instead of running them again.
   * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
   * client calls the compensations of the steps done so far, in reverse order, records each (op
   * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
   * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
   * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
   * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
   * one without its client uses AdminService.ForceStop.
   * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
   * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
   * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
   * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * PrepareWorkflow stores a PREPARED workflow, or, when the gid exists, answers with it and its
     * recorded progress (a resumed run). A gid used by another mode is FAILED_PRECONDITION.
     * </pre>
     */
    default void prepareWorkflow(dev.concord.v1.PrepareWorkflowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.PrepareWorkflowResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPrepareWorkflowMethod(), responseObserver);
    }

    /**
     * <pre>
     * RecordStep stores the outcome of one step while the workflow is PREPARED. The same record
     * again is a no-op; another outcome for a step already recorded is ALREADY_EXISTS; a finished
     * workflow is FAILED_PRECONDITION. Answered once the record is committed.
     * </pre>
     */
    default void recordStep(dev.concord.v1.RecordStepRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RecordStepResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRecordStepMethod(), responseObserver);
    }

    /**
     * <pre>
     * FinishWorkflow ends a PREPARED workflow with SUCCEEDED or FAILED, its result and rollback
     * reason. Finishing it again with the same status is a no-op; with another status it is
     * FAILED_PRECONDITION.
     * </pre>
     */
    default void finishWorkflow(dev.concord.v1.FinishWorkflowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.FinishWorkflowResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getFinishWorkflowMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service WorkflowService.
   * <pre>
   * WorkflowService records workflows: distributed transactions a client writes as an ordinary
   * function. The client runs the function and records the outcome of each step as it goes;
   * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
   * its resume target until the client finishes it. A resumed function replays the recorded steps
   * instead of running them again.
   * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
   * client calls the compensations of the steps done so far, in reverse order, records each (op
   * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
   * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
   * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
   * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
   * one without its client uses AdminService.ForceStop.
   * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
   * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
   * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
   * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
   * </pre>
   */
  public static abstract class WorkflowServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return WorkflowServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService records workflows: distributed transactions a client writes as an ordinary
   * function. The client runs the function and records the outcome of each step as it goes;
   * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
   * its resume target until the client finishes it. A resumed function replays the recorded steps
   * instead of running them again.
   * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
   * client calls the compensations of the steps done so far, in reverse order, records each (op
   * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
   * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
   * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
   * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
   * one without its client uses AdminService.ForceStop.
   * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
   * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
   * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
   * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
   * </pre>
   */
  public static final class WorkflowServiceStub
      extends io.grpc.stub.AbstractAsyncStub<WorkflowServiceStub> {
    private WorkflowServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * PrepareWorkflow stores a PREPARED workflow, or, when the gid exists, answers with it and its
     * recorded progress (a resumed run). A gid used by another mode is FAILED_PRECONDITION.
     * </pre>
     */
    public void prepareWorkflow(dev.concord.v1.PrepareWorkflowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.PrepareWorkflowResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPrepareWorkflowMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * RecordStep stores the outcome of one step while the workflow is PREPARED. The same record
     * again is a no-op; another outcome for a step already recorded is ALREADY_EXISTS; a finished
     * workflow is FAILED_PRECONDITION. Answered once the record is committed.
     * </pre>
     */
    public void recordStep(dev.concord.v1.RecordStepRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RecordStepResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRecordStepMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * FinishWorkflow ends a PREPARED workflow with SUCCEEDED or FAILED, its result and rollback
     * reason. Finishing it again with the same status is a no-op; with another status it is
     * FAILED_PRECONDITION.
     * </pre>
     */
    public void finishWorkflow(dev.concord.v1.FinishWorkflowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.FinishWorkflowResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getFinishWorkflowMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService records workflows: distributed transactions a client writes as an ordinary
   * function. The client runs the function and records the outcome of each step as it goes;
   * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
   * its resume target until the client finishes it. A resumed function replays the recorded steps
   * instead of running them again.
   * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
   * client calls the compensations of the steps done so far, in reverse order, records each (op
   * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
   * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
   * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
   * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
   * one without its client uses AdminService.ForceStop.
   * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
   * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
   * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
   * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
   * </pre>
   */
  public static final class WorkflowServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<WorkflowServiceBlockingV2Stub> {
    private WorkflowServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * PrepareWorkflow stores a PREPARED workflow, or, when the gid exists, answers with it and its
     * recorded progress (a resumed run). A gid used by another mode is FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.PrepareWorkflowResponse prepareWorkflow(dev.concord.v1.PrepareWorkflowRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPrepareWorkflowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RecordStep stores the outcome of one step while the workflow is PREPARED. The same record
     * again is a no-op; another outcome for a step already recorded is ALREADY_EXISTS; a finished
     * workflow is FAILED_PRECONDITION. Answered once the record is committed.
     * </pre>
     */
    public dev.concord.v1.RecordStepResponse recordStep(dev.concord.v1.RecordStepRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRecordStepMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * FinishWorkflow ends a PREPARED workflow with SUCCEEDED or FAILED, its result and rollback
     * reason. Finishing it again with the same status is a no-op; with another status it is
     * FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.FinishWorkflowResponse finishWorkflow(dev.concord.v1.FinishWorkflowRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getFinishWorkflowMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService records workflows: distributed transactions a client writes as an ordinary
   * function. The client runs the function and records the outcome of each step as it goes;
   * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
   * its resume target until the client finishes it. A resumed function replays the recorded steps
   * instead of running them again.
   * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
   * client calls the compensations of the steps done so far, in reverse order, records each (op
   * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
   * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
   * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
   * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
   * one without its client uses AdminService.ForceStop.
   * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
   * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
   * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
   * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
   * </pre>
   */
  public static final class WorkflowServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<WorkflowServiceBlockingStub> {
    private WorkflowServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * PrepareWorkflow stores a PREPARED workflow, or, when the gid exists, answers with it and its
     * recorded progress (a resumed run). A gid used by another mode is FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.PrepareWorkflowResponse prepareWorkflow(dev.concord.v1.PrepareWorkflowRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPrepareWorkflowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RecordStep stores the outcome of one step while the workflow is PREPARED. The same record
     * again is a no-op; another outcome for a step already recorded is ALREADY_EXISTS; a finished
     * workflow is FAILED_PRECONDITION. Answered once the record is committed.
     * </pre>
     */
    public dev.concord.v1.RecordStepResponse recordStep(dev.concord.v1.RecordStepRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRecordStepMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * FinishWorkflow ends a PREPARED workflow with SUCCEEDED or FAILED, its result and rollback
     * reason. Finishing it again with the same status is a no-op; with another status it is
     * FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.FinishWorkflowResponse finishWorkflow(dev.concord.v1.FinishWorkflowRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getFinishWorkflowMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service WorkflowService.
   * <pre>
   * WorkflowService records workflows: distributed transactions a client writes as an ordinary
   * function. The client runs the function and records the outcome of each step as it goes;
   * Concord keeps the record and, when a workflow is left unfinished (the client crashed), calls
   * its resume target until the client finishes it. A resumed function replays the recorded steps
   * instead of running them again.
   * The rule for rollbacks: the side that holds the function runs them. When a step fails, the
   * client calls the compensations of the steps done so far, in reverse order, records each (op
   * ROLLBACK, or CANCEL/ROLLBACK for TCC and XA branches), and finishes the workflow FAILED.
   * Concord calls no branch of a workflow itself; it only resumes the function. For the same reason
   * CoordinatorService.Abort refuses a workflow (FAILED_PRECONDITION), as dtm does: only the client
   * can roll it back, by running its compensations and finishing it FAILED; an operator who must end
   * one without its client uses AdminService.ForceStop.
   * Resume: a PREPARED workflow that has made no progress (prepare, or a recorded step) for its
   * timeout_to_fail is called at its resume target, and again after the transaction's retry backoff
   * for as long as it stays PREPARED (whatever the target answers: only the client finishes it).
   * AdminService.RetryNow (dtm: resetNextCronTime) resumes it at once.
   * </pre>
   */
  public static final class WorkflowServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<WorkflowServiceFutureStub> {
    private WorkflowServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkflowServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkflowServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * PrepareWorkflow stores a PREPARED workflow, or, when the gid exists, answers with it and its
     * recorded progress (a resumed run). A gid used by another mode is FAILED_PRECONDITION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.PrepareWorkflowResponse> prepareWorkflow(
        dev.concord.v1.PrepareWorkflowRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPrepareWorkflowMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * RecordStep stores the outcome of one step while the workflow is PREPARED. The same record
     * again is a no-op; another outcome for a step already recorded is ALREADY_EXISTS; a finished
     * workflow is FAILED_PRECONDITION. Answered once the record is committed.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.RecordStepResponse> recordStep(
        dev.concord.v1.RecordStepRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRecordStepMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * FinishWorkflow ends a PREPARED workflow with SUCCEEDED or FAILED, its result and rollback
     * reason. Finishing it again with the same status is a no-op; with another status it is
     * FAILED_PRECONDITION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.FinishWorkflowResponse> finishWorkflow(
        dev.concord.v1.FinishWorkflowRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getFinishWorkflowMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_PREPARE_WORKFLOW = 0;
  private static final int METHODID_RECORD_STEP = 1;
  private static final int METHODID_FINISH_WORKFLOW = 2;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_PREPARE_WORKFLOW:
          serviceImpl.prepareWorkflow((dev.concord.v1.PrepareWorkflowRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.PrepareWorkflowResponse>) responseObserver);
          break;
        case METHODID_RECORD_STEP:
          serviceImpl.recordStep((dev.concord.v1.RecordStepRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.RecordStepResponse>) responseObserver);
          break;
        case METHODID_FINISH_WORKFLOW:
          serviceImpl.finishWorkflow((dev.concord.v1.FinishWorkflowRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.FinishWorkflowResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getPrepareWorkflowMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.PrepareWorkflowRequest,
              dev.concord.v1.PrepareWorkflowResponse>(
                service, METHODID_PREPARE_WORKFLOW)))
        .addMethod(
          getRecordStepMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.RecordStepRequest,
              dev.concord.v1.RecordStepResponse>(
                service, METHODID_RECORD_STEP)))
        .addMethod(
          getFinishWorkflowMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.FinishWorkflowRequest,
              dev.concord.v1.FinishWorkflowResponse>(
                service, METHODID_FINISH_WORKFLOW)))
        .build();
  }

  private static abstract class WorkflowServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    WorkflowServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.concord.v1.WorkflowServiceOuterClass.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("WorkflowService");
    }
  }

  private static final class WorkflowServiceFileDescriptorSupplier
      extends WorkflowServiceBaseDescriptorSupplier {
    WorkflowServiceFileDescriptorSupplier() {}
  }

  private static final class WorkflowServiceMethodDescriptorSupplier
      extends WorkflowServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    WorkflowServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (WorkflowServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new WorkflowServiceFileDescriptorSupplier())
              .addMethod(getPrepareWorkflowMethod())
              .addMethod(getRecordStepMethod())
              .addMethod(getFinishWorkflowMethod())
              .build();
        }
      }
    }
    return result;
  }
}
