from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_UNSPECIFIED: _ClassVar[Outcome]
    OUTCOME_SUCCEEDED: _ClassVar[Outcome]
    OUTCOME_FAILED: _ClassVar[Outcome]
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_SUCCEEDED: Outcome
OUTCOME_FAILED: Outcome

class StartRequest(_message.Message):
    __slots__ = ("gid", "from_account", "to_account", "amount")
    GID_FIELD_NUMBER: _ClassVar[int]
    FROM_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    TO_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    gid: str
    from_account: str
    to_account: str
    amount: int
    def __init__(self, gid: _Optional[str] = ..., from_account: _Optional[str] = ..., to_account: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class StartResponse(_message.Message):
    __slots__ = ("outcome", "reason", "from_balance", "to_balance")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FROM_BALANCE_FIELD_NUMBER: _ClassVar[int]
    TO_BALANCE_FIELD_NUMBER: _ClassVar[int]
    outcome: Outcome
    reason: str
    from_balance: int
    to_balance: int
    def __init__(self, outcome: _Optional[_Union[Outcome, str]] = ..., reason: _Optional[str] = ..., from_balance: _Optional[int] = ..., to_balance: _Optional[int] = ...) -> None: ...
