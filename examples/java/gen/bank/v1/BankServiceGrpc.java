package bank.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
 * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
 * (insufficient funds) is the status ABORTED.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class BankServiceGrpc {

  private BankServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "bank.v1.BankService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransOutMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TransOut",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransOutMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getTransOutMethod;
    if ((getTransOutMethod = BankServiceGrpc.getTransOutMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getTransOutMethod = BankServiceGrpc.getTransOutMethod) == null) {
          BankServiceGrpc.getTransOutMethod = getTransOutMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TransOut"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("TransOut"))
              .build();
        }
      }
    }
    return getTransOutMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransOutCompensateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TransOutCompensate",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransOutCompensateMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getTransOutCompensateMethod;
    if ((getTransOutCompensateMethod = BankServiceGrpc.getTransOutCompensateMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getTransOutCompensateMethod = BankServiceGrpc.getTransOutCompensateMethod) == null) {
          BankServiceGrpc.getTransOutCompensateMethod = getTransOutCompensateMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TransOutCompensate"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("TransOutCompensate"))
              .build();
        }
      }
    }
    return getTransOutCompensateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransInMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TransIn",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransInMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getTransInMethod;
    if ((getTransInMethod = BankServiceGrpc.getTransInMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getTransInMethod = BankServiceGrpc.getTransInMethod) == null) {
          BankServiceGrpc.getTransInMethod = getTransInMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TransIn"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("TransIn"))
              .build();
        }
      }
    }
    return getTransInMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransInCompensateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TransInCompensate",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTransInCompensateMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getTransInCompensateMethod;
    if ((getTransInCompensateMethod = BankServiceGrpc.getTransInCompensateMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getTransInCompensateMethod = BankServiceGrpc.getTransInCompensateMethod) == null) {
          BankServiceGrpc.getTransInCompensateMethod = getTransInCompensateMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TransInCompensate"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("TransInCompensate"))
              .build();
        }
      }
    }
    return getTransInCompensateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTryTransOutMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TryTransOut",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTryTransOutMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getTryTransOutMethod;
    if ((getTryTransOutMethod = BankServiceGrpc.getTryTransOutMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getTryTransOutMethod = BankServiceGrpc.getTryTransOutMethod) == null) {
          BankServiceGrpc.getTryTransOutMethod = getTryTransOutMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TryTransOut"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("TryTransOut"))
              .build();
        }
      }
    }
    return getTryTransOutMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getConfirmTransOutMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ConfirmTransOut",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getConfirmTransOutMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getConfirmTransOutMethod;
    if ((getConfirmTransOutMethod = BankServiceGrpc.getConfirmTransOutMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getConfirmTransOutMethod = BankServiceGrpc.getConfirmTransOutMethod) == null) {
          BankServiceGrpc.getConfirmTransOutMethod = getConfirmTransOutMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ConfirmTransOut"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("ConfirmTransOut"))
              .build();
        }
      }
    }
    return getConfirmTransOutMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getCancelTransOutMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CancelTransOut",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getCancelTransOutMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getCancelTransOutMethod;
    if ((getCancelTransOutMethod = BankServiceGrpc.getCancelTransOutMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getCancelTransOutMethod = BankServiceGrpc.getCancelTransOutMethod) == null) {
          BankServiceGrpc.getCancelTransOutMethod = getCancelTransOutMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CancelTransOut"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("CancelTransOut"))
              .build();
        }
      }
    }
    return getCancelTransOutMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTryTransInMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TryTransIn",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getTryTransInMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getTryTransInMethod;
    if ((getTryTransInMethod = BankServiceGrpc.getTryTransInMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getTryTransInMethod = BankServiceGrpc.getTryTransInMethod) == null) {
          BankServiceGrpc.getTryTransInMethod = getTryTransInMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TryTransIn"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("TryTransIn"))
              .build();
        }
      }
    }
    return getTryTransInMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getConfirmTransInMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ConfirmTransIn",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getConfirmTransInMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getConfirmTransInMethod;
    if ((getConfirmTransInMethod = BankServiceGrpc.getConfirmTransInMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getConfirmTransInMethod = BankServiceGrpc.getConfirmTransInMethod) == null) {
          BankServiceGrpc.getConfirmTransInMethod = getConfirmTransInMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ConfirmTransIn"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("ConfirmTransIn"))
              .build();
        }
      }
    }
    return getConfirmTransInMethod;
  }

  private static volatile io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getCancelTransInMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CancelTransIn",
      requestType = bank.v1.Bank.TransferRequest.class,
      responseType = bank.v1.Bank.TransferResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest,
      bank.v1.Bank.TransferResponse> getCancelTransInMethod() {
    io.grpc.MethodDescriptor<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse> getCancelTransInMethod;
    if ((getCancelTransInMethod = BankServiceGrpc.getCancelTransInMethod) == null) {
      synchronized (BankServiceGrpc.class) {
        if ((getCancelTransInMethod = BankServiceGrpc.getCancelTransInMethod) == null) {
          BankServiceGrpc.getCancelTransInMethod = getCancelTransInMethod =
              io.grpc.MethodDescriptor.<bank.v1.Bank.TransferRequest, bank.v1.Bank.TransferResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CancelTransIn"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  bank.v1.Bank.TransferResponse.getDefaultInstance()))
              .setSchemaDescriptor(new BankServiceMethodDescriptorSupplier("CancelTransIn"))
              .build();
        }
      }
    }
    return getCancelTransInMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static BankServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<BankServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<BankServiceStub>() {
        @java.lang.Override
        public BankServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new BankServiceStub(channel, callOptions);
        }
      };
    return BankServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static BankServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<BankServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<BankServiceBlockingV2Stub>() {
        @java.lang.Override
        public BankServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new BankServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return BankServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static BankServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<BankServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<BankServiceBlockingStub>() {
        @java.lang.Override
        public BankServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new BankServiceBlockingStub(channel, callOptions);
        }
      };
    return BankServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static BankServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<BankServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<BankServiceFutureStub>() {
        @java.lang.Override
        public BankServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new BankServiceFutureStub(channel, callOptions);
        }
      };
    return BankServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
   * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
   * (insufficient funds) is the status ABORTED.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * SAGA: debit the account; ABORTED when its available balance is too small.
     * </pre>
     */
    default void transOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTransOutMethod(), responseObserver);
    }

    /**
     * <pre>
     * SAGA: undo TransOut (credit the account back).
     * </pre>
     */
    default void transOutCompensate(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTransOutCompensateMethod(), responseObserver);
    }

    /**
     * <pre>
     * SAGA: credit the account.
     * </pre>
     */
    default void transIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTransInMethod(), responseObserver);
    }

    /**
     * <pre>
     * SAGA: undo TransIn (debit the account back).
     * </pre>
     */
    default void transInCompensate(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTransInCompensateMethod(), responseObserver);
    }

    /**
     * <pre>
     * TCC: reserve the amount; ABORTED when the available balance is too small.
     * </pre>
     */
    default void tryTransOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTryTransOutMethod(), responseObserver);
    }

    /**
     * <pre>
     * TCC: debit the reserved amount.
     * </pre>
     */
    default void confirmTransOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getConfirmTransOutMethod(), responseObserver);
    }

    /**
     * <pre>
     * TCC: release the reserved amount.
     * </pre>
     */
    default void cancelTransOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelTransOutMethod(), responseObserver);
    }

    /**
     * <pre>
     * TCC: nothing to reserve for a credit.
     * </pre>
     */
    default void tryTransIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTryTransInMethod(), responseObserver);
    }

    /**
     * <pre>
     * TCC: credit the account.
     * </pre>
     */
    default void confirmTransIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getConfirmTransInMethod(), responseObserver);
    }

    /**
     * <pre>
     * TCC: nothing to release.
     * </pre>
     */
    default void cancelTransIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelTransInMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service BankService.
   * <pre>
   * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
   * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
   * (insufficient funds) is the status ABORTED.
   * </pre>
   */
  public static abstract class BankServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return BankServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service BankService.
   * <pre>
   * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
   * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
   * (insufficient funds) is the status ABORTED.
   * </pre>
   */
  public static final class BankServiceStub
      extends io.grpc.stub.AbstractAsyncStub<BankServiceStub> {
    private BankServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected BankServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new BankServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * SAGA: debit the account; ABORTED when its available balance is too small.
     * </pre>
     */
    public void transOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTransOutMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * SAGA: undo TransOut (credit the account back).
     * </pre>
     */
    public void transOutCompensate(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTransOutCompensateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * SAGA: credit the account.
     * </pre>
     */
    public void transIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTransInMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * SAGA: undo TransIn (debit the account back).
     * </pre>
     */
    public void transInCompensate(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTransInCompensateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TCC: reserve the amount; ABORTED when the available balance is too small.
     * </pre>
     */
    public void tryTransOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTryTransOutMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TCC: debit the reserved amount.
     * </pre>
     */
    public void confirmTransOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getConfirmTransOutMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TCC: release the reserved amount.
     * </pre>
     */
    public void cancelTransOut(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelTransOutMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TCC: nothing to reserve for a credit.
     * </pre>
     */
    public void tryTransIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTryTransInMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TCC: credit the account.
     * </pre>
     */
    public void confirmTransIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getConfirmTransInMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TCC: nothing to release.
     * </pre>
     */
    public void cancelTransIn(bank.v1.Bank.TransferRequest request,
        io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelTransInMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service BankService.
   * <pre>
   * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
   * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
   * (insufficient funds) is the status ABORTED.
   * </pre>
   */
  public static final class BankServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<BankServiceBlockingV2Stub> {
    private BankServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected BankServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new BankServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * SAGA: debit the account; ABORTED when its available balance is too small.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transOut(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SAGA: undo TransOut (credit the account back).
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transOutCompensate(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTransOutCompensateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SAGA: credit the account.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transIn(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTransInMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SAGA: undo TransIn (debit the account back).
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transInCompensate(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTransInCompensateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: reserve the amount; ABORTED when the available balance is too small.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse tryTransOut(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTryTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: debit the reserved amount.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse confirmTransOut(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getConfirmTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: release the reserved amount.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse cancelTransOut(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCancelTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: nothing to reserve for a credit.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse tryTransIn(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTryTransInMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: credit the account.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse confirmTransIn(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getConfirmTransInMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: nothing to release.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse cancelTransIn(bank.v1.Bank.TransferRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCancelTransInMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service BankService.
   * <pre>
   * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
   * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
   * (insufficient funds) is the status ABORTED.
   * </pre>
   */
  public static final class BankServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<BankServiceBlockingStub> {
    private BankServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected BankServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new BankServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * SAGA: debit the account; ABORTED when its available balance is too small.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transOut(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SAGA: undo TransOut (credit the account back).
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transOutCompensate(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTransOutCompensateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SAGA: credit the account.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transIn(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTransInMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * SAGA: undo TransIn (debit the account back).
     * </pre>
     */
    public bank.v1.Bank.TransferResponse transInCompensate(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTransInCompensateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: reserve the amount; ABORTED when the available balance is too small.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse tryTransOut(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTryTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: debit the reserved amount.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse confirmTransOut(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getConfirmTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: release the reserved amount.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse cancelTransOut(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelTransOutMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: nothing to reserve for a credit.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse tryTransIn(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTryTransInMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: credit the account.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse confirmTransIn(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getConfirmTransInMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TCC: nothing to release.
     * </pre>
     */
    public bank.v1.Bank.TransferResponse cancelTransIn(bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelTransInMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service BankService.
   * <pre>
   * BankService is the examples' branch service: plain gRPC methods that Concord calls with the
   * dtm-* metadata (dtm-gid, dtm-trans_type, dtm-branch_id, dtm-op, dtm-dtm). A business "no"
   * (insufficient funds) is the status ABORTED.
   * </pre>
   */
  public static final class BankServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<BankServiceFutureStub> {
    private BankServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected BankServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new BankServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * SAGA: debit the account; ABORTED when its available balance is too small.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> transOut(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTransOutMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * SAGA: undo TransOut (credit the account back).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> transOutCompensate(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTransOutCompensateMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * SAGA: credit the account.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> transIn(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTransInMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * SAGA: undo TransIn (debit the account back).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> transInCompensate(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTransInCompensateMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TCC: reserve the amount; ABORTED when the available balance is too small.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> tryTransOut(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTryTransOutMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TCC: debit the reserved amount.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> confirmTransOut(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getConfirmTransOutMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TCC: release the reserved amount.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> cancelTransOut(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelTransOutMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TCC: nothing to reserve for a credit.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> tryTransIn(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTryTransInMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TCC: credit the account.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> confirmTransIn(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getConfirmTransInMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TCC: nothing to release.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<bank.v1.Bank.TransferResponse> cancelTransIn(
        bank.v1.Bank.TransferRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelTransInMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_TRANS_OUT = 0;
  private static final int METHODID_TRANS_OUT_COMPENSATE = 1;
  private static final int METHODID_TRANS_IN = 2;
  private static final int METHODID_TRANS_IN_COMPENSATE = 3;
  private static final int METHODID_TRY_TRANS_OUT = 4;
  private static final int METHODID_CONFIRM_TRANS_OUT = 5;
  private static final int METHODID_CANCEL_TRANS_OUT = 6;
  private static final int METHODID_TRY_TRANS_IN = 7;
  private static final int METHODID_CONFIRM_TRANS_IN = 8;
  private static final int METHODID_CANCEL_TRANS_IN = 9;

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
        case METHODID_TRANS_OUT:
          serviceImpl.transOut((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_TRANS_OUT_COMPENSATE:
          serviceImpl.transOutCompensate((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_TRANS_IN:
          serviceImpl.transIn((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_TRANS_IN_COMPENSATE:
          serviceImpl.transInCompensate((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_TRY_TRANS_OUT:
          serviceImpl.tryTransOut((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_CONFIRM_TRANS_OUT:
          serviceImpl.confirmTransOut((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_CANCEL_TRANS_OUT:
          serviceImpl.cancelTransOut((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_TRY_TRANS_IN:
          serviceImpl.tryTransIn((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_CONFIRM_TRANS_IN:
          serviceImpl.confirmTransIn((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
          break;
        case METHODID_CANCEL_TRANS_IN:
          serviceImpl.cancelTransIn((bank.v1.Bank.TransferRequest) request,
              (io.grpc.stub.StreamObserver<bank.v1.Bank.TransferResponse>) responseObserver);
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
          getTransOutMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_TRANS_OUT)))
        .addMethod(
          getTransOutCompensateMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_TRANS_OUT_COMPENSATE)))
        .addMethod(
          getTransInMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_TRANS_IN)))
        .addMethod(
          getTransInCompensateMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_TRANS_IN_COMPENSATE)))
        .addMethod(
          getTryTransOutMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_TRY_TRANS_OUT)))
        .addMethod(
          getConfirmTransOutMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_CONFIRM_TRANS_OUT)))
        .addMethod(
          getCancelTransOutMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_CANCEL_TRANS_OUT)))
        .addMethod(
          getTryTransInMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_TRY_TRANS_IN)))
        .addMethod(
          getConfirmTransInMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_CONFIRM_TRANS_IN)))
        .addMethod(
          getCancelTransInMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              bank.v1.Bank.TransferRequest,
              bank.v1.Bank.TransferResponse>(
                service, METHODID_CANCEL_TRANS_IN)))
        .build();
  }

  private static abstract class BankServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    BankServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return bank.v1.Bank.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("BankService");
    }
  }

  private static final class BankServiceFileDescriptorSupplier
      extends BankServiceBaseDescriptorSupplier {
    BankServiceFileDescriptorSupplier() {}
  }

  private static final class BankServiceMethodDescriptorSupplier
      extends BankServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    BankServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (BankServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new BankServiceFileDescriptorSupplier())
              .addMethod(getTransOutMethod())
              .addMethod(getTransOutCompensateMethod())
              .addMethod(getTransInMethod())
              .addMethod(getTransInCompensateMethod())
              .addMethod(getTryTransOutMethod())
              .addMethod(getConfirmTransOutMethod())
              .addMethod(getCancelTransOutMethod())
              .addMethod(getTryTransInMethod())
              .addMethod(getConfirmTransInMethod())
              .addMethod(getCancelTransInMethod())
              .build();
        }
      }
    }
    return result;
  }
}
