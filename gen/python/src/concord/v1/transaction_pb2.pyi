import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Mode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODE_UNSPECIFIED: _ClassVar[Mode]
    MODE_SAGA: _ClassVar[Mode]
    MODE_MSG: _ClassVar[Mode]
    MODE_TCC: _ClassVar[Mode]
    MODE_XA: _ClassVar[Mode]
    MODE_WORKFLOW: _ClassVar[Mode]

class TransactionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_STATUS_UNSPECIFIED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_PREPARED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_SUBMITTED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_ABORTING: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_SUCCEEDED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_FAILED: _ClassVar[TransactionStatus]

class BranchStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRANCH_STATUS_UNSPECIFIED: _ClassVar[BranchStatus]
    BRANCH_STATUS_PREPARED: _ClassVar[BranchStatus]
    BRANCH_STATUS_SUCCEEDED: _ClassVar[BranchStatus]
    BRANCH_STATUS_FAILED: _ClassVar[BranchStatus]

class BranchOp(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRANCH_OP_UNSPECIFIED: _ClassVar[BranchOp]
    BRANCH_OP_ACTION: _ClassVar[BranchOp]
    BRANCH_OP_COMPENSATE: _ClassVar[BranchOp]
    BRANCH_OP_TRY: _ClassVar[BranchOp]
    BRANCH_OP_CONFIRM: _ClassVar[BranchOp]
    BRANCH_OP_CANCEL: _ClassVar[BranchOp]
    BRANCH_OP_COMMIT: _ClassVar[BranchOp]
    BRANCH_OP_ROLLBACK: _ClassVar[BranchOp]
    BRANCH_OP_QUERY_PREPARED: _ClassVar[BranchOp]
    BRANCH_OP_RESUME: _ClassVar[BranchOp]

class TransactionView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_VIEW_UNSPECIFIED: _ClassVar[TransactionView]
    TRANSACTION_VIEW_FULL: _ClassVar[TransactionView]
    TRANSACTION_VIEW_BASIC: _ClassVar[TransactionView]
MODE_UNSPECIFIED: Mode
MODE_SAGA: Mode
MODE_MSG: Mode
MODE_TCC: Mode
MODE_XA: Mode
MODE_WORKFLOW: Mode
TRANSACTION_STATUS_UNSPECIFIED: TransactionStatus
TRANSACTION_STATUS_PREPARED: TransactionStatus
TRANSACTION_STATUS_SUBMITTED: TransactionStatus
TRANSACTION_STATUS_ABORTING: TransactionStatus
TRANSACTION_STATUS_SUCCEEDED: TransactionStatus
TRANSACTION_STATUS_FAILED: TransactionStatus
BRANCH_STATUS_UNSPECIFIED: BranchStatus
BRANCH_STATUS_PREPARED: BranchStatus
BRANCH_STATUS_SUCCEEDED: BranchStatus
BRANCH_STATUS_FAILED: BranchStatus
BRANCH_OP_UNSPECIFIED: BranchOp
BRANCH_OP_ACTION: BranchOp
BRANCH_OP_COMPENSATE: BranchOp
BRANCH_OP_TRY: BranchOp
BRANCH_OP_CONFIRM: BranchOp
BRANCH_OP_CANCEL: BranchOp
BRANCH_OP_COMMIT: BranchOp
BRANCH_OP_ROLLBACK: BranchOp
BRANCH_OP_QUERY_PREPARED: BranchOp
BRANCH_OP_RESUME: BranchOp
TRANSACTION_VIEW_UNSPECIFIED: TransactionView
TRANSACTION_VIEW_FULL: TransactionView
TRANSACTION_VIEW_BASIC: TransactionView

class RetryPolicy(_message.Message):
    __slots__ = ("initial_interval", "max_interval", "backoff_multiplier", "max_attempts")
    INITIAL_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    MAX_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    BACKOFF_MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    initial_interval: _duration_pb2.Duration
    max_interval: _duration_pb2.Duration
    backoff_multiplier: float
    max_attempts: int
    def __init__(self, initial_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., backoff_multiplier: _Optional[float] = ..., max_attempts: _Optional[int] = ...) -> None: ...

class TransOptions(_message.Message):
    __slots__ = ("wait_result", "timeout_to_fail", "request_timeout", "retry", "branch_headers")
    class BranchHeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    WAIT_RESULT_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_TO_FAIL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    RETRY_FIELD_NUMBER: _ClassVar[int]
    BRANCH_HEADERS_FIELD_NUMBER: _ClassVar[int]
    wait_result: bool
    timeout_to_fail: _duration_pb2.Duration
    request_timeout: _duration_pb2.Duration
    retry: RetryPolicy
    branch_headers: _containers.ScalarMap[str, str]
    def __init__(self, wait_result: _Optional[bool] = ..., timeout_to_fail: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., request_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., retry: _Optional[_Union[RetryPolicy, _Mapping]] = ..., branch_headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SagaStep(_message.Message):
    __slots__ = ("action", "compensate", "payload", "after", "headers", "request_timeout")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMPENSATE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    action: str
    compensate: str
    payload: bytes
    after: _containers.RepeatedScalarFieldContainer[int]
    headers: _containers.ScalarMap[str, str]
    request_timeout: _duration_pb2.Duration
    def __init__(self, action: _Optional[str] = ..., compensate: _Optional[str] = ..., payload: _Optional[bytes] = ..., after: _Optional[_Iterable[int]] = ..., headers: _Optional[_Mapping[str, str]] = ..., request_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class SagaSpec(_message.Message):
    __slots__ = ("steps", "concurrent")
    STEPS_FIELD_NUMBER: _ClassVar[int]
    CONCURRENT_FIELD_NUMBER: _ClassVar[int]
    steps: _containers.RepeatedCompositeFieldContainer[SagaStep]
    concurrent: bool
    def __init__(self, steps: _Optional[_Iterable[_Union[SagaStep, _Mapping]]] = ..., concurrent: _Optional[bool] = ...) -> None: ...

class MsgStep(_message.Message):
    __slots__ = ("action", "payload", "headers", "request_timeout")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ACTION_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    action: str
    payload: bytes
    headers: _containers.ScalarMap[str, str]
    request_timeout: _duration_pb2.Duration
    def __init__(self, action: _Optional[str] = ..., payload: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ..., request_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class MsgSpec(_message.Message):
    __slots__ = ("steps", "query_prepared", "concurrent", "delay")
    STEPS_FIELD_NUMBER: _ClassVar[int]
    QUERY_PREPARED_FIELD_NUMBER: _ClassVar[int]
    CONCURRENT_FIELD_NUMBER: _ClassVar[int]
    DELAY_FIELD_NUMBER: _ClassVar[int]
    steps: _containers.RepeatedCompositeFieldContainer[MsgStep]
    query_prepared: str
    concurrent: bool
    delay: _duration_pb2.Duration
    def __init__(self, steps: _Optional[_Iterable[_Union[MsgStep, _Mapping]]] = ..., query_prepared: _Optional[str] = ..., concurrent: _Optional[bool] = ..., delay: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class TccBranch(_message.Message):
    __slots__ = ("confirm", "cancel")
    CONFIRM_FIELD_NUMBER: _ClassVar[int]
    CANCEL_FIELD_NUMBER: _ClassVar[int]
    confirm: str
    cancel: str
    def __init__(self, confirm: _Optional[str] = ..., cancel: _Optional[str] = ...) -> None: ...

class XaBranch(_message.Message):
    __slots__ = ("target",)
    TARGET_FIELD_NUMBER: _ClassVar[int]
    target: str
    def __init__(self, target: _Optional[str] = ...) -> None: ...

class Branch(_message.Message):
    __slots__ = ("branch_id", "op", "target", "status", "attempts", "last_error", "finish_time", "create_time", "payload_size")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_SIZE_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    op: BranchOp
    target: str
    status: BranchStatus
    attempts: int
    last_error: str
    finish_time: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    payload_size: int
    def __init__(self, branch_id: _Optional[str] = ..., op: _Optional[_Union[BranchOp, str]] = ..., target: _Optional[str] = ..., status: _Optional[_Union[BranchStatus, str]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., payload_size: _Optional[int] = ...) -> None: ...

class Transaction(_message.Message):
    __slots__ = ("gid", "mode", "status", "options", "custom_data", "rollback_reason", "attempts", "create_time", "update_time", "finish_time", "next_attempt_time", "branches", "saga", "msg", "workflow", "result")
    GID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DATA_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_REASON_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    BRANCHES_FIELD_NUMBER: _ClassVar[int]
    SAGA_FIELD_NUMBER: _ClassVar[int]
    MSG_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    gid: str
    mode: Mode
    status: TransactionStatus
    options: TransOptions
    custom_data: str
    rollback_reason: str
    attempts: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    next_attempt_time: _timestamp_pb2.Timestamp
    branches: _containers.RepeatedCompositeFieldContainer[Branch]
    saga: SagaSpec
    msg: MsgSpec
    workflow: WorkflowSpec
    result: bytes
    def __init__(self, gid: _Optional[str] = ..., mode: _Optional[_Union[Mode, str]] = ..., status: _Optional[_Union[TransactionStatus, str]] = ..., options: _Optional[_Union[TransOptions, _Mapping]] = ..., custom_data: _Optional[str] = ..., rollback_reason: _Optional[str] = ..., attempts: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., next_attempt_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., branches: _Optional[_Iterable[_Union[Branch, _Mapping]]] = ..., saga: _Optional[_Union[SagaSpec, _Mapping]] = ..., msg: _Optional[_Union[MsgSpec, _Mapping]] = ..., workflow: _Optional[_Union[WorkflowSpec, _Mapping]] = ..., result: _Optional[bytes] = ...) -> None: ...

class WorkflowSpec(_message.Message):
    __slots__ = ("name", "resume_target", "input")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RESUME_TARGET_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    name: str
    resume_target: str
    input: bytes
    def __init__(self, name: _Optional[str] = ..., resume_target: _Optional[str] = ..., input: _Optional[bytes] = ...) -> None: ...
