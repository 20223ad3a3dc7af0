package dev.concord.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AdminService is what operators (and the web console) call to see and steer transactions. It
 * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
 * /resetCronTime).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AdminServiceGrpc {

  private AdminServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "concord.v1.AdminService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.ListTransactionsRequest,
      dev.concord.v1.ListTransactionsResponse> getListTransactionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListTransactions",
      requestType = dev.concord.v1.ListTransactionsRequest.class,
      responseType = dev.concord.v1.ListTransactionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.ListTransactionsRequest,
      dev.concord.v1.ListTransactionsResponse> getListTransactionsMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.ListTransactionsRequest, dev.concord.v1.ListTransactionsResponse> getListTransactionsMethod;
    if ((getListTransactionsMethod = AdminServiceGrpc.getListTransactionsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getListTransactionsMethod = AdminServiceGrpc.getListTransactionsMethod) == null) {
          AdminServiceGrpc.getListTransactionsMethod = getListTransactionsMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.ListTransactionsRequest, dev.concord.v1.ListTransactionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListTransactions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.ListTransactionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.ListTransactionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ListTransactions"))
              .build();
        }
      }
    }
    return getListTransactionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.InspectTransactionRequest,
      dev.concord.v1.InspectTransactionResponse> getInspectTransactionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "InspectTransaction",
      requestType = dev.concord.v1.InspectTransactionRequest.class,
      responseType = dev.concord.v1.InspectTransactionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.InspectTransactionRequest,
      dev.concord.v1.InspectTransactionResponse> getInspectTransactionMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.InspectTransactionRequest, dev.concord.v1.InspectTransactionResponse> getInspectTransactionMethod;
    if ((getInspectTransactionMethod = AdminServiceGrpc.getInspectTransactionMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getInspectTransactionMethod = AdminServiceGrpc.getInspectTransactionMethod) == null) {
          AdminServiceGrpc.getInspectTransactionMethod = getInspectTransactionMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.InspectTransactionRequest, dev.concord.v1.InspectTransactionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "InspectTransaction"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.InspectTransactionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.InspectTransactionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("InspectTransaction"))
              .build();
        }
      }
    }
    return getInspectTransactionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.RetryNowRequest,
      dev.concord.v1.RetryNowResponse> getRetryNowMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RetryNow",
      requestType = dev.concord.v1.RetryNowRequest.class,
      responseType = dev.concord.v1.RetryNowResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.RetryNowRequest,
      dev.concord.v1.RetryNowResponse> getRetryNowMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.RetryNowRequest, dev.concord.v1.RetryNowResponse> getRetryNowMethod;
    if ((getRetryNowMethod = AdminServiceGrpc.getRetryNowMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRetryNowMethod = AdminServiceGrpc.getRetryNowMethod) == null) {
          AdminServiceGrpc.getRetryNowMethod = getRetryNowMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.RetryNowRequest, dev.concord.v1.RetryNowResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RetryNow"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RetryNowRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RetryNowResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RetryNow"))
              .build();
        }
      }
    }
    return getRetryNowMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.RetryAllNowRequest,
      dev.concord.v1.RetryAllNowResponse> getRetryAllNowMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RetryAllNow",
      requestType = dev.concord.v1.RetryAllNowRequest.class,
      responseType = dev.concord.v1.RetryAllNowResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.RetryAllNowRequest,
      dev.concord.v1.RetryAllNowResponse> getRetryAllNowMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.RetryAllNowRequest, dev.concord.v1.RetryAllNowResponse> getRetryAllNowMethod;
    if ((getRetryAllNowMethod = AdminServiceGrpc.getRetryAllNowMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRetryAllNowMethod = AdminServiceGrpc.getRetryAllNowMethod) == null) {
          AdminServiceGrpc.getRetryAllNowMethod = getRetryAllNowMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.RetryAllNowRequest, dev.concord.v1.RetryAllNowResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RetryAllNow"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RetryAllNowRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RetryAllNowResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RetryAllNow"))
              .build();
        }
      }
    }
    return getRetryAllNowMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.ForceStopRequest,
      dev.concord.v1.ForceStopResponse> getForceStopMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ForceStop",
      requestType = dev.concord.v1.ForceStopRequest.class,
      responseType = dev.concord.v1.ForceStopResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.ForceStopRequest,
      dev.concord.v1.ForceStopResponse> getForceStopMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.ForceStopRequest, dev.concord.v1.ForceStopResponse> getForceStopMethod;
    if ((getForceStopMethod = AdminServiceGrpc.getForceStopMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getForceStopMethod = AdminServiceGrpc.getForceStopMethod) == null) {
          AdminServiceGrpc.getForceStopMethod = getForceStopMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.ForceStopRequest, dev.concord.v1.ForceStopResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ForceStop"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.ForceStopRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.ForceStopResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("ForceStop"))
              .build();
        }
      }
    }
    return getForceStopMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.CountTransactionsRequest,
      dev.concord.v1.CountTransactionsResponse> getCountTransactionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CountTransactions",
      requestType = dev.concord.v1.CountTransactionsRequest.class,
      responseType = dev.concord.v1.CountTransactionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.CountTransactionsRequest,
      dev.concord.v1.CountTransactionsResponse> getCountTransactionsMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.CountTransactionsRequest, dev.concord.v1.CountTransactionsResponse> getCountTransactionsMethod;
    if ((getCountTransactionsMethod = AdminServiceGrpc.getCountTransactionsMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getCountTransactionsMethod = AdminServiceGrpc.getCountTransactionsMethod) == null) {
          AdminServiceGrpc.getCountTransactionsMethod = getCountTransactionsMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.CountTransactionsRequest, dev.concord.v1.CountTransactionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CountTransactions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.CountTransactionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.CountTransactionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("CountTransactions"))
              .build();
        }
      }
    }
    return getCountTransactionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.GetOverviewRequest,
      dev.concord.v1.GetOverviewResponse> getGetOverviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetOverview",
      requestType = dev.concord.v1.GetOverviewRequest.class,
      responseType = dev.concord.v1.GetOverviewResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.GetOverviewRequest,
      dev.concord.v1.GetOverviewResponse> getGetOverviewMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.GetOverviewRequest, dev.concord.v1.GetOverviewResponse> getGetOverviewMethod;
    if ((getGetOverviewMethod = AdminServiceGrpc.getGetOverviewMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getGetOverviewMethod = AdminServiceGrpc.getGetOverviewMethod) == null) {
          AdminServiceGrpc.getGetOverviewMethod = getGetOverviewMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.GetOverviewRequest, dev.concord.v1.GetOverviewResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetOverview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.GetOverviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.GetOverviewResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("GetOverview"))
              .build();
        }
      }
    }
    return getGetOverviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.SetLogLevelRequest,
      dev.concord.v1.SetLogLevelResponse> getSetLogLevelMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetLogLevel",
      requestType = dev.concord.v1.SetLogLevelRequest.class,
      responseType = dev.concord.v1.SetLogLevelResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.SetLogLevelRequest,
      dev.concord.v1.SetLogLevelResponse> getSetLogLevelMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.SetLogLevelRequest, dev.concord.v1.SetLogLevelResponse> getSetLogLevelMethod;
    if ((getSetLogLevelMethod = AdminServiceGrpc.getSetLogLevelMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getSetLogLevelMethod = AdminServiceGrpc.getSetLogLevelMethod) == null) {
          AdminServiceGrpc.getSetLogLevelMethod = getSetLogLevelMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.SetLogLevelRequest, dev.concord.v1.SetLogLevelResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetLogLevel"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.SetLogLevelRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.SetLogLevelResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("SetLogLevel"))
              .build();
        }
      }
    }
    return getSetLogLevelMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AdminServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub>() {
        @java.lang.Override
        public AdminServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceStub(channel, callOptions);
        }
      };
    return AdminServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AdminServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub>() {
        @java.lang.Override
        public AdminServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AdminServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AdminServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub>() {
        @java.lang.Override
        public AdminServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingStub(channel, callOptions);
        }
      };
    return AdminServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AdminServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub>() {
        @java.lang.Override
        public AdminServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceFutureStub(channel, callOptions);
        }
      };
    return AdminServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AdminService is what operators (and the web console) call to see and steer transactions. It
   * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
   * /resetCronTime).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * ListTransactions returns transactions matching a filter, newest first, a page at a time
     * (keyset pagination: a page never repeats or skips a transaction of the one before).
     * </pre>
     */
    default void listTransactions(dev.concord.v1.ListTransactionsRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.ListTransactionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListTransactionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * InspectTransaction returns a transaction with its branches and their timeline: the calls
     * with their time, outcome and error.
     * </pre>
     */
    default void inspectTransaction(dev.concord.v1.InspectTransactionRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.InspectTransactionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getInspectTransactionMethod(), responseObserver);
    }

    /**
     * <pre>
     * RetryNow drives an unfinished transaction now instead of at its next attempt (right after the
     * run in progress, when this instance is driving it). A finished one is answered as it is.
     * </pre>
     */
    default void retryNow(dev.concord.v1.RetryNowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RetryNowResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRetryNowMethod(), responseObserver);
    }

    /**
     * <pre>
     * RetryAllNow makes unfinished transactions whose next attempt is further away than
     * `due_later_than` due now, at most `limit` of them: after an outage of a branch service.
     * </pre>
     */
    default void retryAllNow(dev.concord.v1.RetryAllNowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RetryAllNowResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRetryAllNowMethod(), responseObserver);
    }

    /**
     * <pre>
     * ForceStop moves an unfinished transaction of any mode to FAILED at once, whoever drives it,
     * recording the reason and who asked. Its branches are not called again: nothing is
     * compensated. A finished transaction is FAILED_PRECONDITION.
     * </pre>
     */
    default void forceStop(dev.concord.v1.ForceStopRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.ForceStopResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getForceStopMethod(), responseObserver);
    }

    /**
     * <pre>
     * CountTransactions counts transactions by status and mode.
     * </pre>
     */
    default void countTransactions(dev.concord.v1.CountTransactionsRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.CountTransactionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCountTransactionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetOverview returns what a dashboard shows: recent throughput and failures, the stuck count,
     * and this instance's circuit breakers and governed branch services.
     * </pre>
     */
    default void getOverview(dev.concord.v1.GetOverviewRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.GetOverviewResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetOverviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * SetLogLevel changes this instance's log level at run time.
     * </pre>
     */
    default void setLogLevel(dev.concord.v1.SetLogLevelRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.SetLogLevelResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetLogLevelMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AdminService.
   * <pre>
   * AdminService is what operators (and the web console) call to see and steer transactions. It
   * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
   * /resetCronTime).
   * </pre>
   */
  public static abstract class AdminServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AdminServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AdminService.
   * <pre>
   * AdminService is what operators (and the web console) call to see and steer transactions. It
   * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
   * /resetCronTime).
   * </pre>
   */
  public static final class AdminServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AdminServiceStub> {
    private AdminServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * ListTransactions returns transactions matching a filter, newest first, a page at a time
     * (keyset pagination: a page never repeats or skips a transaction of the one before).
     * </pre>
     */
    public void listTransactions(dev.concord.v1.ListTransactionsRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.ListTransactionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListTransactionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * InspectTransaction returns a transaction with its branches and their timeline: the calls
     * with their time, outcome and error.
     * </pre>
     */
    public void inspectTransaction(dev.concord.v1.InspectTransactionRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.InspectTransactionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getInspectTransactionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * RetryNow drives an unfinished transaction now instead of at its next attempt (right after the
     * run in progress, when this instance is driving it). A finished one is answered as it is.
     * </pre>
     */
    public void retryNow(dev.concord.v1.RetryNowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RetryNowResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRetryNowMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * RetryAllNow makes unfinished transactions whose next attempt is further away than
     * `due_later_than` due now, at most `limit` of them: after an outage of a branch service.
     * </pre>
     */
    public void retryAllNow(dev.concord.v1.RetryAllNowRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RetryAllNowResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRetryAllNowMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ForceStop moves an unfinished transaction of any mode to FAILED at once, whoever drives it,
     * recording the reason and who asked. Its branches are not called again: nothing is
     * compensated. A finished transaction is FAILED_PRECONDITION.
     * </pre>
     */
    public void forceStop(dev.concord.v1.ForceStopRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.ForceStopResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getForceStopMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * CountTransactions counts transactions by status and mode.
     * </pre>
     */
    public void countTransactions(dev.concord.v1.CountTransactionsRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.CountTransactionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCountTransactionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetOverview returns what a dashboard shows: recent throughput and failures, the stuck count,
     * and this instance's circuit breakers and governed branch services.
     * </pre>
     */
    public void getOverview(dev.concord.v1.GetOverviewRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.GetOverviewResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetOverviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * SetLogLevel changes this instance's log level at run time.
     * </pre>
     */
    public void setLogLevel(dev.concord.v1.SetLogLevelRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.SetLogLevelResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetLogLevelMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService is what operators (and the web console) call to see and steer transactions. It
   * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
   * /resetCronTime).
   * </pre>
   */
  public static final class AdminServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingV2Stub> {
    private AdminServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * ListTransactions returns transactions matching a filter, newest first, a page at a time
     * (keyset pagination: a page never repeats or skips a transaction of the one before).
     * </pre>
     */
    public dev.concord.v1.ListTransactionsResponse listTransactions(dev.concord.v1.ListTransactionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListTransactionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * InspectTransaction returns a transaction with its branches and their timeline: the calls
     * with their time, outcome and error.
     * </pre>
     */
    public dev.concord.v1.InspectTransactionResponse inspectTransaction(dev.concord.v1.InspectTransactionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getInspectTransactionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RetryNow drives an unfinished transaction now instead of at its next attempt (right after the
     * run in progress, when this instance is driving it). A finished one is answered as it is.
     * </pre>
     */
    public dev.concord.v1.RetryNowResponse retryNow(dev.concord.v1.RetryNowRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRetryNowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RetryAllNow makes unfinished transactions whose next attempt is further away than
     * `due_later_than` due now, at most `limit` of them: after an outage of a branch service.
     * </pre>
     */
    public dev.concord.v1.RetryAllNowResponse retryAllNow(dev.concord.v1.RetryAllNowRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRetryAllNowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ForceStop moves an unfinished transaction of any mode to FAILED at once, whoever drives it,
     * recording the reason and who asked. Its branches are not called again: nothing is
     * compensated. A finished transaction is FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.ForceStopResponse forceStop(dev.concord.v1.ForceStopRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getForceStopMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * CountTransactions counts transactions by status and mode.
     * </pre>
     */
    public dev.concord.v1.CountTransactionsResponse countTransactions(dev.concord.v1.CountTransactionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCountTransactionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetOverview returns what a dashboard shows: recent throughput and failures, the stuck count,
     * and this instance's circuit breakers and governed branch services.
     * </pre>
     */
    public dev.concord.v1.GetOverviewResponse getOverview(dev.concord.v1.GetOverviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetOverviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SetLogLevel changes this instance's log level at run time.
     * </pre>
     */
    public dev.concord.v1.SetLogLevelResponse setLogLevel(dev.concord.v1.SetLogLevelRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetLogLevelMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService is what operators (and the web console) call to see and steer transactions. It
   * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
   * /resetCronTime).
   * </pre>
   */
  public static final class AdminServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingStub> {
    private AdminServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * ListTransactions returns transactions matching a filter, newest first, a page at a time
     * (keyset pagination: a page never repeats or skips a transaction of the one before).
     * </pre>
     */
    public dev.concord.v1.ListTransactionsResponse listTransactions(dev.concord.v1.ListTransactionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListTransactionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * InspectTransaction returns a transaction with its branches and their timeline: the calls
     * with their time, outcome and error.
     * </pre>
     */
    public dev.concord.v1.InspectTransactionResponse inspectTransaction(dev.concord.v1.InspectTransactionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getInspectTransactionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RetryNow drives an unfinished transaction now instead of at its next attempt (right after the
     * run in progress, when this instance is driving it). A finished one is answered as it is.
     * </pre>
     */
    public dev.concord.v1.RetryNowResponse retryNow(dev.concord.v1.RetryNowRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRetryNowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RetryAllNow makes unfinished transactions whose next attempt is further away than
     * `due_later_than` due now, at most `limit` of them: after an outage of a branch service.
     * </pre>
     */
    public dev.concord.v1.RetryAllNowResponse retryAllNow(dev.concord.v1.RetryAllNowRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRetryAllNowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ForceStop moves an unfinished transaction of any mode to FAILED at once, whoever drives it,
     * recording the reason and who asked. Its branches are not called again: nothing is
     * compensated. A finished transaction is FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.ForceStopResponse forceStop(dev.concord.v1.ForceStopRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getForceStopMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * CountTransactions counts transactions by status and mode.
     * </pre>
     */
    public dev.concord.v1.CountTransactionsResponse countTransactions(dev.concord.v1.CountTransactionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCountTransactionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetOverview returns what a dashboard shows: recent throughput and failures, the stuck count,
     * and this instance's circuit breakers and governed branch services.
     * </pre>
     */
    public dev.concord.v1.GetOverviewResponse getOverview(dev.concord.v1.GetOverviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetOverviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SetLogLevel changes this instance's log level at run time.
     * </pre>
     */
    public dev.concord.v1.SetLogLevelResponse setLogLevel(dev.concord.v1.SetLogLevelRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetLogLevelMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AdminService.
   * <pre>
   * AdminService is what operators (and the web console) call to see and steer transactions. It
   * shares its store queries with dtm's admin routes (/all, /forceStop, /resetNextCronTime,
   * /resetCronTime).
   * </pre>
   */
  public static final class AdminServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AdminServiceFutureStub> {
    private AdminServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * ListTransactions returns transactions matching a filter, newest first, a page at a time
     * (keyset pagination: a page never repeats or skips a transaction of the one before).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.ListTransactionsResponse> listTransactions(
        dev.concord.v1.ListTransactionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListTransactionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * InspectTransaction returns a transaction with its branches and their timeline: the calls
     * with their time, outcome and error.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.InspectTransactionResponse> inspectTransaction(
        dev.concord.v1.InspectTransactionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getInspectTransactionMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * RetryNow drives an unfinished transaction now instead of at its next attempt (right after the
     * run in progress, when this instance is driving it). A finished one is answered as it is.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.RetryNowResponse> retryNow(
        dev.concord.v1.RetryNowRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRetryNowMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * RetryAllNow makes unfinished transactions whose next attempt is further away than
     * `due_later_than` due now, at most `limit` of them: after an outage of a branch service.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.RetryAllNowResponse> retryAllNow(
        dev.concord.v1.RetryAllNowRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRetryAllNowMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ForceStop moves an unfinished transaction of any mode to FAILED at once, whoever drives it,
     * recording the reason and who asked. Its branches are not called again: nothing is
     * compensated. A finished transaction is FAILED_PRECONDITION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.ForceStopResponse> forceStop(
        dev.concord.v1.ForceStopRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getForceStopMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * CountTransactions counts transactions by status and mode.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.CountTransactionsResponse> countTransactions(
        dev.concord.v1.CountTransactionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCountTransactionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetOverview returns what a dashboard shows: recent throughput and failures, the stuck count,
     * and this instance's circuit breakers and governed branch services.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.GetOverviewResponse> getOverview(
        dev.concord.v1.GetOverviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetOverviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * SetLogLevel changes this instance's log level at run time.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.SetLogLevelResponse> setLogLevel(
        dev.concord.v1.SetLogLevelRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetLogLevelMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_TRANSACTIONS = 0;
  private static final int METHODID_INSPECT_TRANSACTION = 1;
  private static final int METHODID_RETRY_NOW = 2;
  private static final int METHODID_RETRY_ALL_NOW = 3;
  private static final int METHODID_FORCE_STOP = 4;
  private static final int METHODID_COUNT_TRANSACTIONS = 5;
  private static final int METHODID_GET_OVERVIEW = 6;
  private static final int METHODID_SET_LOG_LEVEL = 7;

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
        case METHODID_LIST_TRANSACTIONS:
          serviceImpl.listTransactions((dev.concord.v1.ListTransactionsRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.ListTransactionsResponse>) responseObserver);
          break;
        case METHODID_INSPECT_TRANSACTION:
          serviceImpl.inspectTransaction((dev.concord.v1.InspectTransactionRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.InspectTransactionResponse>) responseObserver);
          break;
        case METHODID_RETRY_NOW:
          serviceImpl.retryNow((dev.concord.v1.RetryNowRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.RetryNowResponse>) responseObserver);
          break;
        case METHODID_RETRY_ALL_NOW:
          serviceImpl.retryAllNow((dev.concord.v1.RetryAllNowRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.RetryAllNowResponse>) responseObserver);
          break;
        case METHODID_FORCE_STOP:
          serviceImpl.forceStop((dev.concord.v1.ForceStopRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.ForceStopResponse>) responseObserver);
          break;
        case METHODID_COUNT_TRANSACTIONS:
          serviceImpl.countTransactions((dev.concord.v1.CountTransactionsRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.CountTransactionsResponse>) responseObserver);
          break;
        case METHODID_GET_OVERVIEW:
          serviceImpl.getOverview((dev.concord.v1.GetOverviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.GetOverviewResponse>) responseObserver);
          break;
        case METHODID_SET_LOG_LEVEL:
          serviceImpl.setLogLevel((dev.concord.v1.SetLogLevelRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.SetLogLevelResponse>) responseObserver);
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
          getListTransactionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.ListTransactionsRequest,
              dev.concord.v1.ListTransactionsResponse>(
                service, METHODID_LIST_TRANSACTIONS)))
        .addMethod(
          getInspectTransactionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.InspectTransactionRequest,
              dev.concord.v1.InspectTransactionResponse>(
                service, METHODID_INSPECT_TRANSACTION)))
        .addMethod(
          getRetryNowMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.RetryNowRequest,
              dev.concord.v1.RetryNowResponse>(
                service, METHODID_RETRY_NOW)))
        .addMethod(
          getRetryAllNowMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.RetryAllNowRequest,
              dev.concord.v1.RetryAllNowResponse>(
                service, METHODID_RETRY_ALL_NOW)))
        .addMethod(
          getForceStopMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.ForceStopRequest,
              dev.concord.v1.ForceStopResponse>(
                service, METHODID_FORCE_STOP)))
        .addMethod(
          getCountTransactionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.CountTransactionsRequest,
              dev.concord.v1.CountTransactionsResponse>(
                service, METHODID_COUNT_TRANSACTIONS)))
        .addMethod(
          getGetOverviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.GetOverviewRequest,
              dev.concord.v1.GetOverviewResponse>(
                service, METHODID_GET_OVERVIEW)))
        .addMethod(
          getSetLogLevelMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.SetLogLevelRequest,
              dev.concord.v1.SetLogLevelResponse>(
                service, METHODID_SET_LOG_LEVEL)))
        .build();
  }

  private static abstract class AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AdminServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.concord.v1.AdminServiceOuterClass.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AdminService");
    }
  }

  private static final class AdminServiceFileDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier {
    AdminServiceFileDescriptorSupplier() {}
  }

  private static final class AdminServiceMethodDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AdminServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AdminServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AdminServiceFileDescriptorSupplier())
              .addMethod(getListTransactionsMethod())
              .addMethod(getInspectTransactionMethod())
              .addMethod(getRetryNowMethod())
              .addMethod(getRetryAllNowMethod())
              .addMethod(getForceStopMethod())
              .addMethod(getCountTransactionsMethod())
              .addMethod(getGetOverviewMethod())
              .addMethod(getSetLogLevelMethod())
              .build();
        }
      }
    }
    return result;
  }
}
