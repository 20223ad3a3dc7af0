package dev.concord.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * CoordinatorService is what services call to run global transactions.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class CoordinatorServiceGrpc {

  private CoordinatorServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "concord.v1.CoordinatorService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.NewGidRequest,
      dev.concord.v1.NewGidResponse> getNewGidMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "NewGid",
      requestType = dev.concord.v1.NewGidRequest.class,
      responseType = dev.concord.v1.NewGidResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.NewGidRequest,
      dev.concord.v1.NewGidResponse> getNewGidMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.NewGidRequest, dev.concord.v1.NewGidResponse> getNewGidMethod;
    if ((getNewGidMethod = CoordinatorServiceGrpc.getNewGidMethod) == null) {
      synchronized (CoordinatorServiceGrpc.class) {
        if ((getNewGidMethod = CoordinatorServiceGrpc.getNewGidMethod) == null) {
          CoordinatorServiceGrpc.getNewGidMethod = getNewGidMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.NewGidRequest, dev.concord.v1.NewGidResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "NewGid"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.NewGidRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.NewGidResponse.getDefaultInstance()))
              .setSchemaDescriptor(new CoordinatorServiceMethodDescriptorSupplier("NewGid"))
              .build();
        }
      }
    }
    return getNewGidMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.SubmitRequest,
      dev.concord.v1.SubmitResponse> getSubmitMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Submit",
      requestType = dev.concord.v1.SubmitRequest.class,
      responseType = dev.concord.v1.SubmitResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.SubmitRequest,
      dev.concord.v1.SubmitResponse> getSubmitMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.SubmitRequest, dev.concord.v1.SubmitResponse> getSubmitMethod;
    if ((getSubmitMethod = CoordinatorServiceGrpc.getSubmitMethod) == null) {
      synchronized (CoordinatorServiceGrpc.class) {
        if ((getSubmitMethod = CoordinatorServiceGrpc.getSubmitMethod) == null) {
          CoordinatorServiceGrpc.getSubmitMethod = getSubmitMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.SubmitRequest, dev.concord.v1.SubmitResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Submit"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.SubmitRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.SubmitResponse.getDefaultInstance()))
              .setSchemaDescriptor(new CoordinatorServiceMethodDescriptorSupplier("Submit"))
              .build();
        }
      }
    }
    return getSubmitMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.PrepareRequest,
      dev.concord.v1.PrepareResponse> getPrepareMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Prepare",
      requestType = dev.concord.v1.PrepareRequest.class,
      responseType = dev.concord.v1.PrepareResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.PrepareRequest,
      dev.concord.v1.PrepareResponse> getPrepareMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.PrepareRequest, dev.concord.v1.PrepareResponse> getPrepareMethod;
    if ((getPrepareMethod = CoordinatorServiceGrpc.getPrepareMethod) == null) {
      synchronized (CoordinatorServiceGrpc.class) {
        if ((getPrepareMethod = CoordinatorServiceGrpc.getPrepareMethod) == null) {
          CoordinatorServiceGrpc.getPrepareMethod = getPrepareMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.PrepareRequest, dev.concord.v1.PrepareResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Prepare"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.PrepareRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.PrepareResponse.getDefaultInstance()))
              .setSchemaDescriptor(new CoordinatorServiceMethodDescriptorSupplier("Prepare"))
              .build();
        }
      }
    }
    return getPrepareMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.AbortRequest,
      dev.concord.v1.AbortResponse> getAbortMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Abort",
      requestType = dev.concord.v1.AbortRequest.class,
      responseType = dev.concord.v1.AbortResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.AbortRequest,
      dev.concord.v1.AbortResponse> getAbortMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.AbortRequest, dev.concord.v1.AbortResponse> getAbortMethod;
    if ((getAbortMethod = CoordinatorServiceGrpc.getAbortMethod) == null) {
      synchronized (CoordinatorServiceGrpc.class) {
        if ((getAbortMethod = CoordinatorServiceGrpc.getAbortMethod) == null) {
          CoordinatorServiceGrpc.getAbortMethod = getAbortMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.AbortRequest, dev.concord.v1.AbortResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Abort"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.AbortRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.AbortResponse.getDefaultInstance()))
              .setSchemaDescriptor(new CoordinatorServiceMethodDescriptorSupplier("Abort"))
              .build();
        }
      }
    }
    return getAbortMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.RegisterBranchRequest,
      dev.concord.v1.RegisterBranchResponse> getRegisterBranchMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RegisterBranch",
      requestType = dev.concord.v1.RegisterBranchRequest.class,
      responseType = dev.concord.v1.RegisterBranchResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.RegisterBranchRequest,
      dev.concord.v1.RegisterBranchResponse> getRegisterBranchMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.RegisterBranchRequest, dev.concord.v1.RegisterBranchResponse> getRegisterBranchMethod;
    if ((getRegisterBranchMethod = CoordinatorServiceGrpc.getRegisterBranchMethod) == null) {
      synchronized (CoordinatorServiceGrpc.class) {
        if ((getRegisterBranchMethod = CoordinatorServiceGrpc.getRegisterBranchMethod) == null) {
          CoordinatorServiceGrpc.getRegisterBranchMethod = getRegisterBranchMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.RegisterBranchRequest, dev.concord.v1.RegisterBranchResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RegisterBranch"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RegisterBranchRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.RegisterBranchResponse.getDefaultInstance()))
              .setSchemaDescriptor(new CoordinatorServiceMethodDescriptorSupplier("RegisterBranch"))
              .build();
        }
      }
    }
    return getRegisterBranchMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.GetTransactionRequest,
      dev.concord.v1.GetTransactionResponse> getGetTransactionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetTransaction",
      requestType = dev.concord.v1.GetTransactionRequest.class,
      responseType = dev.concord.v1.GetTransactionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.GetTransactionRequest,
      dev.concord.v1.GetTransactionResponse> getGetTransactionMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.GetTransactionRequest, dev.concord.v1.GetTransactionResponse> getGetTransactionMethod;
    if ((getGetTransactionMethod = CoordinatorServiceGrpc.getGetTransactionMethod) == null) {
      synchronized (CoordinatorServiceGrpc.class) {
        if ((getGetTransactionMethod = CoordinatorServiceGrpc.getGetTransactionMethod) == null) {
          CoordinatorServiceGrpc.getGetTransactionMethod = getGetTransactionMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.GetTransactionRequest, dev.concord.v1.GetTransactionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetTransaction"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.GetTransactionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.GetTransactionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new CoordinatorServiceMethodDescriptorSupplier("GetTransaction"))
              .build();
        }
      }
    }
    return getGetTransactionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static CoordinatorServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceStub>() {
        @java.lang.Override
        public CoordinatorServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CoordinatorServiceStub(channel, callOptions);
        }
      };
    return CoordinatorServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static CoordinatorServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceBlockingV2Stub>() {
        @java.lang.Override
        public CoordinatorServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CoordinatorServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return CoordinatorServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static CoordinatorServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceBlockingStub>() {
        @java.lang.Override
        public CoordinatorServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CoordinatorServiceBlockingStub(channel, callOptions);
        }
      };
    return CoordinatorServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static CoordinatorServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<CoordinatorServiceFutureStub>() {
        @java.lang.Override
        public CoordinatorServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new CoordinatorServiceFutureStub(channel, callOptions);
        }
      };
    return CoordinatorServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * CoordinatorService is what services call to run global transactions.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * NewGid returns a fresh unique global transaction id.
     * </pre>
     */
    default void newGid(dev.concord.v1.NewGidRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.NewGidResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getNewGidMethod(), responseObserver);
    }

    /**
     * <pre>
     * Submit starts a SAGA, submits a MSG, or ends the try phase of a TCC/XA transaction.
     * </pre>
     */
    default void submit(dev.concord.v1.SubmitRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.SubmitResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSubmitMethod(), responseObserver);
    }

    /**
     * <pre>
     * Prepare stores a PREPARED transaction (MSG, TCC, XA).
     * </pre>
     */
    default void prepare(dev.concord.v1.PrepareRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.PrepareResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPrepareMethod(), responseObserver);
    }

    /**
     * <pre>
     * Abort cancels a TCC/XA transaction or drops a prepared message.
     * </pre>
     */
    default void abort(dev.concord.v1.AbortRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.AbortResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAbortMethod(), responseObserver);
    }

    /**
     * <pre>
     * RegisterBranch adds a TCC/XA branch while the transaction is PREPARED. Its targets are
     * "host:port/package.Service/Method" (gRPC) or "http://"/"https://" URLs (HTTP, dtm's
     * protocol); a malformed one is INVALID_ARGUMENT naming the field.
     * </pre>
     */
    default void registerBranch(dev.concord.v1.RegisterBranchRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RegisterBranchResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRegisterBranchMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetTransaction returns the current state of a transaction with its branches.
     * </pre>
     */
    default void getTransaction(dev.concord.v1.GetTransactionRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.GetTransactionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetTransactionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service CoordinatorService.
   * <pre>
   * CoordinatorService is what services call to run global transactions.
   * </pre>
   */
  public static abstract class CoordinatorServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return CoordinatorServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service CoordinatorService.
   * <pre>
   * CoordinatorService is what services call to run global transactions.
   * </pre>
   */
  public static final class CoordinatorServiceStub
      extends io.grpc.stub.AbstractAsyncStub<CoordinatorServiceStub> {
    private CoordinatorServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CoordinatorServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CoordinatorServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * NewGid returns a fresh unique global transaction id.
     * </pre>
     */
    public void newGid(dev.concord.v1.NewGidRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.NewGidResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getNewGidMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Submit starts a SAGA, submits a MSG, or ends the try phase of a TCC/XA transaction.
     * </pre>
     */
    public void submit(dev.concord.v1.SubmitRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.SubmitResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSubmitMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Prepare stores a PREPARED transaction (MSG, TCC, XA).
     * </pre>
     */
    public void prepare(dev.concord.v1.PrepareRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.PrepareResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPrepareMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Abort cancels a TCC/XA transaction or drops a prepared message.
     * </pre>
     */
    public void abort(dev.concord.v1.AbortRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.AbortResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAbortMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * RegisterBranch adds a TCC/XA branch while the transaction is PREPARED. Its targets are
     * "host:port/package.Service/Method" (gRPC) or "http://"/"https://" URLs (HTTP, dtm's
     * protocol); a malformed one is INVALID_ARGUMENT naming the field.
     * </pre>
     */
    public void registerBranch(dev.concord.v1.RegisterBranchRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.RegisterBranchResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRegisterBranchMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetTransaction returns the current state of a transaction with its branches.
     * </pre>
     */
    public void getTransaction(dev.concord.v1.GetTransactionRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.GetTransactionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetTransactionMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service CoordinatorService.
   * <pre>
   * CoordinatorService is what services call to run global transactions.
   * </pre>
   */
  public static final class CoordinatorServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<CoordinatorServiceBlockingV2Stub> {
    private CoordinatorServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CoordinatorServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CoordinatorServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * NewGid returns a fresh unique global transaction id.
     * </pre>
     */
    public dev.concord.v1.NewGidResponse newGid(dev.concord.v1.NewGidRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getNewGidMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Submit starts a SAGA, submits a MSG, or ends the try phase of a TCC/XA transaction.
     * </pre>
     */
    public dev.concord.v1.SubmitResponse submit(dev.concord.v1.SubmitRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSubmitMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Prepare stores a PREPARED transaction (MSG, TCC, XA).
     * </pre>
     */
    public dev.concord.v1.PrepareResponse prepare(dev.concord.v1.PrepareRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPrepareMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Abort cancels a TCC/XA transaction or drops a prepared message.
     * </pre>
     */
    public dev.concord.v1.AbortResponse abort(dev.concord.v1.AbortRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getAbortMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RegisterBranch adds a TCC/XA branch while the transaction is PREPARED. Its targets are
     * "host:port/package.Service/Method" (gRPC) or "http://"/"https://" URLs (HTTP, dtm's
     * protocol); a malformed one is INVALID_ARGUMENT naming the field.
     * </pre>
     */
    public dev.concord.v1.RegisterBranchResponse registerBranch(dev.concord.v1.RegisterBranchRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRegisterBranchMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetTransaction returns the current state of a transaction with its branches.
     * </pre>
     */
    public dev.concord.v1.GetTransactionResponse getTransaction(dev.concord.v1.GetTransactionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetTransactionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service CoordinatorService.
   * <pre>
   * CoordinatorService is what services call to run global transactions.
   * </pre>
   */
  public static final class CoordinatorServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<CoordinatorServiceBlockingStub> {
    private CoordinatorServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CoordinatorServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CoordinatorServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * NewGid returns a fresh unique global transaction id.
     * </pre>
     */
    public dev.concord.v1.NewGidResponse newGid(dev.concord.v1.NewGidRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getNewGidMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Submit starts a SAGA, submits a MSG, or ends the try phase of a TCC/XA transaction.
     * </pre>
     */
    public dev.concord.v1.SubmitResponse submit(dev.concord.v1.SubmitRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSubmitMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Prepare stores a PREPARED transaction (MSG, TCC, XA).
     * </pre>
     */
    public dev.concord.v1.PrepareResponse prepare(dev.concord.v1.PrepareRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPrepareMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Abort cancels a TCC/XA transaction or drops a prepared message.
     * </pre>
     */
    public dev.concord.v1.AbortResponse abort(dev.concord.v1.AbortRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAbortMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * RegisterBranch adds a TCC/XA branch while the transaction is PREPARED. Its targets are
     * "host:port/package.Service/Method" (gRPC) or "http://"/"https://" URLs (HTTP, dtm's
     * protocol); a malformed one is INVALID_ARGUMENT naming the field.
     * </pre>
     */
    public dev.concord.v1.RegisterBranchResponse registerBranch(dev.concord.v1.RegisterBranchRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRegisterBranchMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetTransaction returns the current state of a transaction with its branches.
     * </pre>
     */
    public dev.concord.v1.GetTransactionResponse getTransaction(dev.concord.v1.GetTransactionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetTransactionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service CoordinatorService.
   * <pre>
   * CoordinatorService is what services call to run global transactions.
   * </pre>
   */
  public static final class CoordinatorServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<CoordinatorServiceFutureStub> {
    private CoordinatorServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected CoordinatorServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new CoordinatorServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * NewGid returns a fresh unique global transaction id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.NewGidResponse> newGid(
        dev.concord.v1.NewGidRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getNewGidMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Submit starts a SAGA, submits a MSG, or ends the try phase of a TCC/XA transaction.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.SubmitResponse> submit(
        dev.concord.v1.SubmitRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSubmitMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Prepare stores a PREPARED transaction (MSG, TCC, XA).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.PrepareResponse> prepare(
        dev.concord.v1.PrepareRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPrepareMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Abort cancels a TCC/XA transaction or drops a prepared message.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.AbortResponse> abort(
        dev.concord.v1.AbortRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAbortMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * RegisterBranch adds a TCC/XA branch while the transaction is PREPARED. Its targets are
     * "host:port/package.Service/Method" (gRPC) or "http://"/"https://" URLs (HTTP, dtm's
     * protocol); a malformed one is INVALID_ARGUMENT naming the field.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.RegisterBranchResponse> registerBranch(
        dev.concord.v1.RegisterBranchRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRegisterBranchMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetTransaction returns the current state of a transaction with its branches.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.GetTransactionResponse> getTransaction(
        dev.concord.v1.GetTransactionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetTransactionMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_NEW_GID = 0;
  private static final int METHODID_SUBMIT = 1;
  private static final int METHODID_PREPARE = 2;
  private static final int METHODID_ABORT = 3;
  private static final int METHODID_REGISTER_BRANCH = 4;
  private static final int METHODID_GET_TRANSACTION = 5;

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
        case METHODID_NEW_GID:
          serviceImpl.newGid((dev.concord.v1.NewGidRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.NewGidResponse>) responseObserver);
          break;
        case METHODID_SUBMIT:
          serviceImpl.submit((dev.concord.v1.SubmitRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.SubmitResponse>) responseObserver);
          break;
        case METHODID_PREPARE:
          serviceImpl.prepare((dev.concord.v1.PrepareRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.PrepareResponse>) responseObserver);
          break;
        case METHODID_ABORT:
          serviceImpl.abort((dev.concord.v1.AbortRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.AbortResponse>) responseObserver);
          break;
        case METHODID_REGISTER_BRANCH:
          serviceImpl.registerBranch((dev.concord.v1.RegisterBranchRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.RegisterBranchResponse>) responseObserver);
          break;
        case METHODID_GET_TRANSACTION:
          serviceImpl.getTransaction((dev.concord.v1.GetTransactionRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.GetTransactionResponse>) responseObserver);
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
          getNewGidMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.NewGidRequest,
              dev.concord.v1.NewGidResponse>(
                service, METHODID_NEW_GID)))
        .addMethod(
          getSubmitMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.SubmitRequest,
              dev.concord.v1.SubmitResponse>(
                service, METHODID_SUBMIT)))
        .addMethod(
          getPrepareMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.PrepareRequest,
              dev.concord.v1.PrepareResponse>(
                service, METHODID_PREPARE)))
        .addMethod(
          getAbortMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.AbortRequest,
              dev.concord.v1.AbortResponse>(
                service, METHODID_ABORT)))
        .addMethod(
          getRegisterBranchMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.RegisterBranchRequest,
              dev.concord.v1.RegisterBranchResponse>(
                service, METHODID_REGISTER_BRANCH)))
        .addMethod(
          getGetTransactionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.GetTransactionRequest,
              dev.concord.v1.GetTransactionResponse>(
                service, METHODID_GET_TRANSACTION)))
        .build();
  }

  private static abstract class CoordinatorServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    CoordinatorServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.concord.v1.CoordinatorServiceOuterClass.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("CoordinatorService");
    }
  }

  private static final class CoordinatorServiceFileDescriptorSupplier
      extends CoordinatorServiceBaseDescriptorSupplier {
    CoordinatorServiceFileDescriptorSupplier() {}
  }

  private static final class CoordinatorServiceMethodDescriptorSupplier
      extends CoordinatorServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    CoordinatorServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (CoordinatorServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new CoordinatorServiceFileDescriptorSupplier())
              .addMethod(getNewGidMethod())
              .addMethod(getSubmitMethod())
              .addMethod(getPrepareMethod())
              .addMethod(getAbortMethod())
              .addMethod(getRegisterBranchMethod())
              .addMethod(getGetTransactionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
