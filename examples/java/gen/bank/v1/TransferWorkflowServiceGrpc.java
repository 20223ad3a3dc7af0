package bank.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * TransferWorkflowService is the examples' workflow service, written in TypeScript
 * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
 * createWorkflows) that moves an amount between two accounts of the example bank, recording each
 * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
 * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
 * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class TransferWorkflowServiceGrpc {

  private TransferWorkflowServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "bank.v1.TransferWorkflowService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<bank.v1.TransferWorkflow.StartRequest,
      bank.v1.TransferWorkflow.StartResponse> getStartMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Start",
      requestType = bank.v1.TransferWorkflow.StartRequest.class,
      responseType = bank.v1.TransferWorkflow.StartResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.TransferWorkflow.StartRequest,
      bank.v1.TransferWorkflow.StartResponse> getStartMethod() {
    io.grpc.MethodDescriptor<bank.v1.TransferWorkflow.StartRequest, bank.v1.TransferWorkflow.StartResponse> getStartMethod;
    if ((getStartMethod = TransferWorkflowServiceGrpc.getStartMethod) == null) {
      synchronized (TransferWorkflowServiceGrpc.class) {
        if ((getStartMethod = TransferWorkflowServiceGrpc.getStartMethod) == null) {
          TransferWorkflowServiceGrpc.getStartMethod = getStartMethod =
              io.grpc.MethodDescriptor.<bank.v1.TransferWorkflow.StartRequest, bank.v1.TransferWorkflow.StartResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Start"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.TransferWorkflow.StartRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.TransferWorkflow.StartResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TransferWorkflowServiceMethodDescriptorSupplier("Start"))
              .build();
        }
      }
    }
    return getStartMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static TransferWorkflowServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceStub>() {
        @java.lang.Override
        public TransferWorkflowServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TransferWorkflowServiceStub(channel, callOptions);
        }
      };
    return TransferWorkflowServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static TransferWorkflowServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceBlockingV2Stub>() {
        @java.lang.Override
        public TransferWorkflowServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TransferWorkflowServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return TransferWorkflowServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static TransferWorkflowServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceBlockingStub>() {
        @java.lang.Override
        public TransferWorkflowServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TransferWorkflowServiceBlockingStub(channel, callOptions);
        }
      };
    return TransferWorkflowServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static TransferWorkflowServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TransferWorkflowServiceFutureStub>() {
        @java.lang.Override
        public TransferWorkflowServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TransferWorkflowServiceFutureStub(channel, callOptions);
        }
      };
    return TransferWorkflowServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * TransferWorkflowService is the examples' workflow service, written in TypeScript
   * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
   * createWorkflows) that moves an amount between two accounts of the example bank, recording each
   * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
   * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
   * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Start runs the transfer workflow under gid to its end: SUCCEEDED (both steps done) or FAILED
     * (a step said no and the steps done were compensated). Calling it again with the same gid
     * answers the recorded outcome and runs nothing. UNAVAILABLE when the workflow could not finish
     * (Concord then resumes it at the service's resume target).
     * </pre>
     */
    default void start(bank.v1.TransferWorkflow.StartRequest request,
        io.grpc.stub.StreamObserver<bank.v1.TransferWorkflow.StartResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStartMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service TransferWorkflowService.
   * <pre>
   * TransferWorkflowService is the examples' workflow service, written in TypeScript
   * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
   * createWorkflows) that moves an amount between two accounts of the example bank, recording each
   * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
   * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
   * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
   * </pre>
   */
  public static abstract class TransferWorkflowServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return TransferWorkflowServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service TransferWorkflowService.
   * <pre>
   * TransferWorkflowService is the examples' workflow service, written in TypeScript
   * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
   * createWorkflows) that moves an amount between two accounts of the example bank, recording each
   * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
   * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
   * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
   * </pre>
   */
  public static final class TransferWorkflowServiceStub
      extends io.grpc.stub.AbstractAsyncStub<TransferWorkflowServiceStub> {
    private TransferWorkflowServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TransferWorkflowServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TransferWorkflowServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Start runs the transfer workflow under gid to its end: SUCCEEDED (both steps done) or FAILED
     * (a step said no and the steps done were compensated). Calling it again with the same gid
     * answers the recorded outcome and runs nothing. UNAVAILABLE when the workflow could not finish
     * (Concord then resumes it at the service's resume target).
     * </pre>
     */
    public void start(bank.v1.TransferWorkflow.StartRequest request,
        io.grpc.stub.StreamObserver<bank.v1.TransferWorkflow.StartResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getStartMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service TransferWorkflowService.
   * <pre>
   * TransferWorkflowService is the examples' workflow service, written in TypeScript
   * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
   * createWorkflows) that moves an amount between two accounts of the example bank, recording each
   * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
   * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
   * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
   * </pre>
   */
  public static final class TransferWorkflowServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<TransferWorkflowServiceBlockingV2Stub> {
    private TransferWorkflowServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TransferWorkflowServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TransferWorkflowServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Start runs the transfer workflow under gid to its end: SUCCEEDED (both steps done) or FAILED
     * (a step said no and the steps done were compensated). Calling it again with the same gid
     * answers the recorded outcome and runs nothing. UNAVAILABLE when the workflow could not finish
     * (Concord then resumes it at the service's resume target).
     * </pre>
     */
    public bank.v1.TransferWorkflow.StartResponse start(bank.v1.TransferWorkflow.StartRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getStartMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service TransferWorkflowService.
   * <pre>
   * TransferWorkflowService is the examples' workflow service, written in TypeScript
   * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
   * createWorkflows) that moves an amount between two accounts of the example bank, recording each
   * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
   * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
   * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
   * </pre>
   */
  public static final class TransferWorkflowServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<TransferWorkflowServiceBlockingStub> {
    private TransferWorkflowServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TransferWorkflowServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TransferWorkflowServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Start runs the transfer workflow under gid to its end: SUCCEEDED (both steps done) or FAILED
     * (a step said no and the steps done were compensated). Calling it again with the same gid
     * answers the recorded outcome and runs nothing. UNAVAILABLE when the workflow could not finish
     * (Concord then resumes it at the service's resume target).
     * </pre>
     */
    public bank.v1.TransferWorkflow.StartResponse start(bank.v1.TransferWorkflow.StartRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getStartMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service TransferWorkflowService.
   * <pre>
   * TransferWorkflowService is the examples' workflow service, written in TypeScript
   * (examples/ts/workflow-service.ts): Start runs its registered workflow (concord/client's
   * createWorkflows) that moves an amount between two accounts of the example bank, recording each
   * step with Concord (concord.v1.WorkflowService), and answers with the outcome. The Java and
   * Python examples call it over gRPC to reach Concord's workflow mode without a workflow SDK of
   * their own; Concord's CoordinatorService.GetTransaction then shows the workflow (MODE_WORKFLOW).
   * </pre>
   */
  public static final class TransferWorkflowServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<TransferWorkflowServiceFutureStub> {
    private TransferWorkflowServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TransferWorkflowServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TransferWorkflowServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Start runs the transfer workflow under gid to its end: SUCCEEDED (both steps done) or FAILED
     * (a step said no and the steps done were compensated). Calling it again with the same gid
     * answers the recorded outcome and runs nothing. UNAVAILABLE when the workflow could not finish
     * (Concord then resumes it at the service's resume target).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.TransferWorkflow.StartResponse> start(
        bank.v1.TransferWorkflow.StartRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getStartMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_START = 0;

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
        case METHODID_START:
          serviceImpl.start((bank.v1.TransferWorkflow.StartRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.TransferWorkflow.StartResponse>) responseObserver);
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
          getStartMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.TransferWorkflow.StartRequest,
              bank.v1.TransferWorkflow.StartResponse>(
                service, METHODID_START)))
        .build();
  }

  private static abstract class TransferWorkflowServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    TransferWorkflowServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return bank.v1.TransferWorkflow.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("TransferWorkflowService");
    }
  }

  private static final class TransferWorkflowServiceFileDescriptorSupplier
      extends TransferWorkflowServiceBaseDescriptorSupplier {
    TransferWorkflowServiceFileDescriptorSupplier() {}
  }

  private static final class TransferWorkflowServiceMethodDescriptorSupplier
      extends TransferWorkflowServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    TransferWorkflowServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (TransferWorkflowServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new TransferWorkflowServiceFileDescriptorSupplier())
              .addMethod(getStartMethod())
              .build();
        }
      }
    }
    return result;
  }
}
