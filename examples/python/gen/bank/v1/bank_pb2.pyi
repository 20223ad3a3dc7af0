from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class TransferRequest(_message.Message):
    __slots__ = ("account", "amount")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    account: str
    amount: int
    def __init__(self, account: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class TransferResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
