package dev.concord.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * TopicService keeps named lists of subscriber targets. A MSG step whose action is
 * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
 * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
 * touch messages already stored.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class TopicServiceGrpc {

  private TopicServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "concord.v1.TopicService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.SubscribeRequest,
      dev.concord.v1.SubscribeResponse> getSubscribeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Subscribe",
      requestType = dev.concord.v1.SubscribeRequest.class,
      responseType = dev.concord.v1.SubscribeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.SubscribeRequest,
      dev.concord.v1.SubscribeResponse> getSubscribeMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.SubscribeRequest, dev.concord.v1.SubscribeResponse> getSubscribeMethod;
    if ((getSubscribeMethod = TopicServiceGrpc.getSubscribeMethod) == null) {
      synchronized (TopicServiceGrpc.class) {
        if ((getSubscribeMethod = TopicServiceGrpc.getSubscribeMethod) == null) {
          TopicServiceGrpc.getSubscribeMethod = getSubscribeMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.SubscribeRequest, dev.concord.v1.SubscribeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Subscribe"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.SubscribeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.SubscribeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TopicServiceMethodDescriptorSupplier("Subscribe"))
              .build();
        }
      }
    }
    return getSubscribeMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.UnsubscribeRequest,
      dev.concord.v1.UnsubscribeResponse> getUnsubscribeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Unsubscribe",
      requestType = dev.concord.v1.UnsubscribeRequest.class,
      responseType = dev.concord.v1.UnsubscribeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.UnsubscribeRequest,
      dev.concord.v1.UnsubscribeResponse> getUnsubscribeMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.UnsubscribeRequest, dev.concord.v1.UnsubscribeResponse> getUnsubscribeMethod;
    if ((getUnsubscribeMethod = TopicServiceGrpc.getUnsubscribeMethod) == null) {
      synchronized (TopicServiceGrpc.class) {
        if ((getUnsubscribeMethod = TopicServiceGrpc.getUnsubscribeMethod) == null) {
          TopicServiceGrpc.getUnsubscribeMethod = getUnsubscribeMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.UnsubscribeRequest, dev.concord.v1.UnsubscribeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Unsubscribe"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.UnsubscribeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.UnsubscribeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TopicServiceMethodDescriptorSupplier("Unsubscribe"))
              .build();
        }
      }
    }
    return getUnsubscribeMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.DeleteTopicRequest,
      dev.concord.v1.DeleteTopicResponse> getDeleteTopicMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteTopic",
      requestType = dev.concord.v1.DeleteTopicRequest.class,
      responseType = dev.concord.v1.DeleteTopicResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.DeleteTopicRequest,
      dev.concord.v1.DeleteTopicResponse> getDeleteTopicMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.DeleteTopicRequest, dev.concord.v1.DeleteTopicResponse> getDeleteTopicMethod;
    if ((getDeleteTopicMethod = TopicServiceGrpc.getDeleteTopicMethod) == null) {
      synchronized (TopicServiceGrpc.class) {
        if ((getDeleteTopicMethod = TopicServiceGrpc.getDeleteTopicMethod) == null) {
          TopicServiceGrpc.getDeleteTopicMethod = getDeleteTopicMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.DeleteTopicRequest, dev.concord.v1.DeleteTopicResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteTopic"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.DeleteTopicRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.DeleteTopicResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TopicServiceMethodDescriptorSupplier("DeleteTopic"))
              .build();
        }
      }
    }
    return getDeleteTopicMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.GetTopicRequest,
      dev.concord.v1.GetTopicResponse> getGetTopicMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetTopic",
      requestType = dev.concord.v1.GetTopicRequest.class,
      responseType = dev.concord.v1.GetTopicResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.GetTopicRequest,
      dev.concord.v1.GetTopicResponse> getGetTopicMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.GetTopicRequest, dev.concord.v1.GetTopicResponse> getGetTopicMethod;
    if ((getGetTopicMethod = TopicServiceGrpc.getGetTopicMethod) == null) {
      synchronized (TopicServiceGrpc.class) {
        if ((getGetTopicMethod = TopicServiceGrpc.getGetTopicMethod) == null) {
          TopicServiceGrpc.getGetTopicMethod = getGetTopicMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.GetTopicRequest, dev.concord.v1.GetTopicResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetTopic"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.GetTopicRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.GetTopicResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TopicServiceMethodDescriptorSupplier("GetTopic"))
              .build();
        }
      }
    }
    return getGetTopicMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.concord.v1.ListTopicsRequest,
      dev.concord.v1.ListTopicsResponse> getListTopicsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListTopics",
      requestType = dev.concord.v1.ListTopicsRequest.class,
      responseType = dev.concord.v1.ListTopicsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.concord.v1.ListTopicsRequest,
      dev.concord.v1.ListTopicsResponse> getListTopicsMethod() {
    io.grpc.MethodDescriptor<dev.concord.v1.ListTopicsRequest, dev.concord.v1.ListTopicsResponse> getListTopicsMethod;
    if ((getListTopicsMethod = TopicServiceGrpc.getListTopicsMethod) == null) {
      synchronized (TopicServiceGrpc.class) {
        if ((getListTopicsMethod = TopicServiceGrpc.getListTopicsMethod) == null) {
          TopicServiceGrpc.getListTopicsMethod = getListTopicsMethod =
              io.grpc.MethodDescriptor.<dev.concord.v1.ListTopicsRequest, dev.concord.v1.ListTopicsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListTopics"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.ListTopicsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.concord.v1.ListTopicsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TopicServiceMethodDescriptorSupplier("ListTopics"))
              .build();
        }
      }
    }
    return getListTopicsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static TopicServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TopicServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TopicServiceStub>() {
        @java.lang.Override
        public TopicServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TopicServiceStub(channel, callOptions);
        }
      };
    return TopicServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static TopicServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TopicServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TopicServiceBlockingV2Stub>() {
        @java.lang.Override
        public TopicServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TopicServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return TopicServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static TopicServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TopicServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TopicServiceBlockingStub>() {
        @java.lang.Override
        public TopicServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TopicServiceBlockingStub(channel, callOptions);
        }
      };
    return TopicServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static TopicServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TopicServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TopicServiceFutureStub>() {
        @java.lang.Override
        public TopicServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TopicServiceFutureStub(channel, callOptions);
        }
      };
    return TopicServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * TopicService keeps named lists of subscriber targets. A MSG step whose action is
   * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
   * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
   * touch messages already stored.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Subscribe adds a target to a topic, creating the topic when it does not exist. A target the
     * topic already has is FAILED_PRECONDITION.
     * </pre>
     */
    default void subscribe(dev.concord.v1.SubscribeRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.SubscribeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSubscribeMethod(), responseObserver);
    }

    /**
     * <pre>
     * Unsubscribe removes a target. An unknown topic is NOT_FOUND; a target the topic does not have
     * is FAILED_PRECONDITION. The topic stays, possibly without subscribers.
     * </pre>
     */
    default void unsubscribe(dev.concord.v1.UnsubscribeRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.UnsubscribeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUnsubscribeMethod(), responseObserver);
    }

    /**
     * <pre>
     * DeleteTopic removes a topic and its subscribers. An unknown topic is NOT_FOUND.
     * </pre>
     */
    default void deleteTopic(dev.concord.v1.DeleteTopicRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.DeleteTopicResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteTopicMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetTopic returns one topic. An unknown topic is NOT_FOUND.
     * </pre>
     */
    default void getTopic(dev.concord.v1.GetTopicRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.GetTopicResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetTopicMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListTopics returns topics by name, a page at a time.
     * </pre>
     */
    default void listTopics(dev.concord.v1.ListTopicsRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.ListTopicsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListTopicsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service TopicService.
   * <pre>
   * TopicService keeps named lists of subscriber targets. A MSG step whose action is
   * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
   * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
   * touch messages already stored.
   * </pre>
   */
  public static abstract class TopicServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return TopicServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service TopicService.
   * <pre>
   * TopicService keeps named lists of subscriber targets. A MSG step whose action is
   * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
   * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
   * touch messages already stored.
   * </pre>
   */
  public static final class TopicServiceStub
      extends io.grpc.stub.AbstractAsyncStub<TopicServiceStub> {
    private TopicServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TopicServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TopicServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Subscribe adds a target to a topic, creating the topic when it does not exist. A target the
     * topic already has is FAILED_PRECONDITION.
     * </pre>
     */
    public void subscribe(dev.concord.v1.SubscribeRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.SubscribeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSubscribeMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Unsubscribe removes a target. An unknown topic is NOT_FOUND; a target the topic does not have
     * is FAILED_PRECONDITION. The topic stays, possibly without subscribers.
     * </pre>
     */
    public void unsubscribe(dev.concord.v1.UnsubscribeRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.UnsubscribeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUnsubscribeMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * DeleteTopic removes a topic and its subscribers. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public void deleteTopic(dev.concord.v1.DeleteTopicRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.DeleteTopicResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteTopicMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetTopic returns one topic. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public void getTopic(dev.concord.v1.GetTopicRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.GetTopicResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetTopicMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListTopics returns topics by name, a page at a time.
     * </pre>
     */
    public void listTopics(dev.concord.v1.ListTopicsRequest request,
        io.grpc.stub.StreamObserver<dev.concord.v1.ListTopicsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListTopicsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service TopicService.
   * <pre>
   * TopicService keeps named lists of subscriber targets. A MSG step whose action is
   * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
   * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
   * touch messages already stored.
   * </pre>
   */
  public static final class TopicServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<TopicServiceBlockingV2Stub> {
    private TopicServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TopicServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TopicServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Subscribe adds a target to a topic, creating the topic when it does not exist. A target the
     * topic already has is FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.SubscribeResponse subscribe(dev.concord.v1.SubscribeRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSubscribeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Unsubscribe removes a target. An unknown topic is NOT_FOUND; a target the topic does not have
     * is FAILED_PRECONDITION. The topic stays, possibly without subscribers.
     * </pre>
     */
    public dev.concord.v1.UnsubscribeResponse unsubscribe(dev.concord.v1.UnsubscribeRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUnsubscribeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteTopic removes a topic and its subscribers. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public dev.concord.v1.DeleteTopicResponse deleteTopic(dev.concord.v1.DeleteTopicRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteTopicMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetTopic returns one topic. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public dev.concord.v1.GetTopicResponse getTopic(dev.concord.v1.GetTopicRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetTopicMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListTopics returns topics by name, a page at a time.
     * </pre>
     */
    public dev.concord.v1.ListTopicsResponse listTopics(dev.concord.v1.ListTopicsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListTopicsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service TopicService.
   * <pre>
   * TopicService keeps named lists of subscriber targets. A MSG step whose action is
   * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
   * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
   * touch messages already stored.
   * </pre>
   */
  public static final class TopicServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<TopicServiceBlockingStub> {
    private TopicServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TopicServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TopicServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Subscribe adds a target to a topic, creating the topic when it does not exist. A target the
     * topic already has is FAILED_PRECONDITION.
     * </pre>
     */
    public dev.concord.v1.SubscribeResponse subscribe(dev.concord.v1.SubscribeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSubscribeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Unsubscribe removes a target. An unknown topic is NOT_FOUND; a target the topic does not have
     * is FAILED_PRECONDITION. The topic stays, possibly without subscribers.
     * </pre>
     */
    public dev.concord.v1.UnsubscribeResponse unsubscribe(dev.concord.v1.UnsubscribeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUnsubscribeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * DeleteTopic removes a topic and its subscribers. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public dev.concord.v1.DeleteTopicResponse deleteTopic(dev.concord.v1.DeleteTopicRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteTopicMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetTopic returns one topic. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public dev.concord.v1.GetTopicResponse getTopic(dev.concord.v1.GetTopicRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetTopicMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListTopics returns topics by name, a page at a time.
     * </pre>
     */
    public dev.concord.v1.ListTopicsResponse listTopics(dev.concord.v1.ListTopicsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListTopicsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service TopicService.
   * <pre>
   * TopicService keeps named lists of subscriber targets. A MSG step whose action is
   * "topic://&lt;name&gt;" is fanned out when the message is stored: one branch per subscriber then
   * (branch ids "01-01", "01-02", …), all with the step's payload. Later changes to the topic do not
   * touch messages already stored.
   * </pre>
   */
  public static final class TopicServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<TopicServiceFutureStub> {
    private TopicServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TopicServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TopicServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Subscribe adds a target to a topic, creating the topic when it does not exist. A target the
     * topic already has is FAILED_PRECONDITION.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.SubscribeResponse> subscribe(
        dev.concord.v1.SubscribeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSubscribeMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Unsubscribe removes a target. An unknown topic is NOT_FOUND; a target the topic does not have
     * is FAILED_PRECONDITION. The topic stays, possibly without subscribers.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.UnsubscribeResponse> unsubscribe(
        dev.concord.v1.UnsubscribeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUnsubscribeMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * DeleteTopic removes a topic and its subscribers. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.DeleteTopicResponse> deleteTopic(
        dev.concord.v1.DeleteTopicRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteTopicMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetTopic returns one topic. An unknown topic is NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.GetTopicResponse> getTopic(
        dev.concord.v1.GetTopicRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetTopicMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListTopics returns topics by name, a page at a time.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.concord.v1.ListTopicsResponse> listTopics(
        dev.concord.v1.ListTopicsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListTopicsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_SUBSCRIBE = 0;
  private static final int METHODID_UNSUBSCRIBE = 1;
  private static final int METHODID_DELETE_TOPIC = 2;
  private static final int METHODID_GET_TOPIC = 3;
  private static final int METHODID_LIST_TOPICS = 4;

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
        case METHODID_SUBSCRIBE:
          serviceImpl.subscribe((dev.concord.v1.SubscribeRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.SubscribeResponse>) responseObserver);
          break;
        case METHODID_UNSUBSCRIBE:
          serviceImpl.unsubscribe((dev.concord.v1.UnsubscribeRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.UnsubscribeResponse>) responseObserver);
          break;
        case METHODID_DELETE_TOPIC:
          serviceImpl.deleteTopic((dev.concord.v1.DeleteTopicRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.DeleteTopicResponse>) responseObserver);
          break;
        case METHODID_GET_TOPIC:
          serviceImpl.getTopic((dev.concord.v1.GetTopicRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.GetTopicResponse>) responseObserver);
          break;
        case METHODID_LIST_TOPICS:
          serviceImpl.listTopics((dev.concord.v1.ListTopicsRequest) request,
              (io.grpc.stub.StreamObserver<dev.concord.v1.ListTopicsResponse>) responseObserver);
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
          getSubscribeMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.SubscribeRequest,
              dev.concord.v1.SubscribeResponse>(
                service, METHODID_SUBSCRIBE)))
        .addMethod(
          getUnsubscribeMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.UnsubscribeRequest,
              dev.concord.v1.UnsubscribeResponse>(
                service, METHODID_UNSUBSCRIBE)))
        .addMethod(
          getDeleteTopicMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.DeleteTopicRequest,
              dev.concord.v1.DeleteTopicResponse>(
                service, METHODID_DELETE_TOPIC)))
        .addMethod(
          getGetTopicMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.GetTopicRequest,
              dev.concord.v1.GetTopicResponse>(
                service, METHODID_GET_TOPIC)))
        .addMethod(
          getListTopicsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.concord.v1.ListTopicsRequest,
              dev.concord.v1.ListTopicsResponse>(
                service, METHODID_LIST_TOPICS)))
        .build();
  }

  private static abstract class TopicServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    TopicServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.concord.v1.TopicServiceOuterClass.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("TopicService");
    }
  }

  private static final class TopicServiceFileDescriptorSupplier
      extends TopicServiceBaseDescriptorSupplier {
    TopicServiceFileDescriptorSupplier() {}
  }

  private static final class TopicServiceMethodDescriptorSupplier
      extends TopicServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    TopicServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (TopicServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new TopicServiceFileDescriptorSupplier())
              .addMethod(getSubscribeMethod())
              .addMethod(getUnsubscribeMethod())
              .addMethod(getDeleteTopicMethod())
              .addMethod(getGetTopicMethod())
              .addMethod(getListTopicsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
