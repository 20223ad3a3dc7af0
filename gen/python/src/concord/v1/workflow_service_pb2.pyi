import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from concord.v1 import transaction_pb2 as _transaction_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PrepareWorkflowRequest(_message.Message):
    __slots__ = ("gid", "workflow", "options", "custom_data")
    GID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DATA_FIELD_NUMBER: _ClassVar[int]
    gid: str
    workflow: _transaction_pb2.WorkflowSpec
    options: _transaction_pb2.TransOptions
    custom_data: str
    def __init__(self, gid: _Optional[str] = ..., workflow: _Optional[_Union[_transaction_pb2.WorkflowSpec, _Mapping]] = ..., options: _Optional[_Union[_transaction_pb2.TransOptions, _Mapping]] = ..., custom_data: _Optional[str] = ...) -> None: ...

class WorkflowStep(_message.Message):
    __slots__ = ("branch_id", "op", "status", "result", "finish_time")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    op: _transaction_pb2.BranchOp
    status: _transaction_pb2.BranchStatus
    result: bytes
    finish_time: _timestamp_pb2.Timestamp
    def __init__(self, branch_id: _Optional[str] = ..., op: _Optional[_Union[_transaction_pb2.BranchOp, str]] = ..., status: _Optional[_Union[_transaction_pb2.BranchStatus, str]] = ..., result: _Optional[bytes] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PrepareWorkflowResponse(_message.Message):
    __slots__ = ("transaction", "progress", "created")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    progress: _containers.RepeatedCompositeFieldContainer[WorkflowStep]
    created: bool
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., progress: _Optional[_Iterable[_Union[WorkflowStep, _Mapping]]] = ..., created: _Optional[bool] = ...) -> None: ...

class RecordStepRequest(_message.Message):
    __slots__ = ("gid", "branch_id", "op", "status", "result")
    GID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    gid: str
    branch_id: str
    op: _transaction_pb2.BranchOp
    status: _transaction_pb2.BranchStatus
    result: bytes
    def __init__(self, gid: _Optional[str] = ..., branch_id: _Optional[str] = ..., op: _Optional[_Union[_transaction_pb2.BranchOp, str]] = ..., status: _Optional[_Union[_transaction_pb2.BranchStatus, str]] = ..., result: _Optional[bytes] = ...) -> None: ...

class RecordStepResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FinishWorkflowRequest(_message.Message):
    __slots__ = ("gid", "status", "result", "rollback_reason")
    GID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_REASON_FIELD_NUMBER: _ClassVar[int]
    gid: str
    status: _transaction_pb2.TransactionStatus
    result: bytes
    rollback_reason: str
    def __init__(self, gid: _Optional[str] = ..., status: _Optional[_Union[_transaction_pb2.TransactionStatus, str]] = ..., result: _Optional[bytes] = ..., rollback_reason: _Optional[str] = ...) -> None: ...

class FinishWorkflowResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...
