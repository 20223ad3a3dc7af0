from concord.v1 import transaction_pb2 as _transaction_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NewGidRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NewGidResponse(_message.Message):
    __slots__ = ("gid",)
    GID_FIELD_NUMBER: _ClassVar[int]
    gid: str
    def __init__(self, gid: _Optional[str] = ...) -> None: ...

class SubmitRequest(_message.Message):
    __slots__ = ("gid", "mode", "options", "saga", "msg", "custom_data", "view")
    GID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    SAGA_FIELD_NUMBER: _ClassVar[int]
    MSG_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DATA_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    gid: str
    mode: _transaction_pb2.Mode
    options: _transaction_pb2.TransOptions
    saga: _transaction_pb2.SagaSpec
    msg: _transaction_pb2.MsgSpec
    custom_data: str
    view: _transaction_pb2.TransactionView
    def __init__(self, gid: _Optional[str] = ..., mode: _Optional[_Union[_transaction_pb2.Mode, str]] = ..., options: _Optional[_Union[_transaction_pb2.TransOptions, _Mapping]] = ..., saga: _Optional[_Union[_transaction_pb2.SagaSpec, _Mapping]] = ..., msg: _Optional[_Union[_transaction_pb2.MsgSpec, _Mapping]] = ..., custom_data: _Optional[str] = ..., view: _Optional[_Union[_transaction_pb2.TransactionView, str]] = ...) -> None: ...

class SubmitResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...

class PrepareRequest(_message.Message):
    __slots__ = ("gid", "mode", "options", "msg", "custom_data")
    GID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    MSG_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_DATA_FIELD_NUMBER: _ClassVar[int]
    gid: str
    mode: _transaction_pb2.Mode
    options: _transaction_pb2.TransOptions
    msg: _transaction_pb2.MsgSpec
    custom_data: str
    def __init__(self, gid: _Optional[str] = ..., mode: _Optional[_Union[_transaction_pb2.Mode, str]] = ..., options: _Optional[_Union[_transaction_pb2.TransOptions, _Mapping]] = ..., msg: _Optional[_Union[_transaction_pb2.MsgSpec, _Mapping]] = ..., custom_data: _Optional[str] = ...) -> None: ...

class PrepareResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AbortRequest(_message.Message):
    __slots__ = ("gid", "reason", "wait_result", "view")
    GID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    WAIT_RESULT_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    gid: str
    reason: str
    wait_result: bool
    view: _transaction_pb2.TransactionView
    def __init__(self, gid: _Optional[str] = ..., reason: _Optional[str] = ..., wait_result: _Optional[bool] = ..., view: _Optional[_Union[_transaction_pb2.TransactionView, str]] = ...) -> None: ...

class AbortResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...

class RegisterBranchRequest(_message.Message):
    __slots__ = ("gid", "branch_id", "tcc", "xa", "payload")
    GID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    TCC_FIELD_NUMBER: _ClassVar[int]
    XA_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    gid: str
    branch_id: str
    tcc: _transaction_pb2.TccBranch
    xa: _transaction_pb2.XaBranch
    payload: bytes
    def __init__(self, gid: _Optional[str] = ..., branch_id: _Optional[str] = ..., tcc: _Optional[_Union[_transaction_pb2.TccBranch, _Mapping]] = ..., xa: _Optional[_Union[_transaction_pb2.XaBranch, _Mapping]] = ..., payload: _Optional[bytes] = ...) -> None: ...

class RegisterBranchResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetTransactionRequest(_message.Message):
    __slots__ = ("gid",)
    GID_FIELD_NUMBER: _ClassVar[int]
    gid: str
    def __init__(self, gid: _Optional[str] = ...) -> None: ...

class GetTransactionResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...
