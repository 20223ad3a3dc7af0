import datetime

from concord.v1 import transaction_pb2 as _transaction_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BranchOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRANCH_OUTCOME_UNSPECIFIED: _ClassVar[BranchOutcome]
    BRANCH_OUTCOME_SUCCESS: _ClassVar[BranchOutcome]
    BRANCH_OUTCOME_FAILURE: _ClassVar[BranchOutcome]
    BRANCH_OUTCOME_ONGOING: _ClassVar[BranchOutcome]
    BRANCH_OUTCOME_UNKNOWN: _ClassVar[BranchOutcome]

class CircuitState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CIRCUIT_STATE_UNSPECIFIED: _ClassVar[CircuitState]
    CIRCUIT_STATE_CLOSED: _ClassVar[CircuitState]
    CIRCUIT_STATE_OPEN: _ClassVar[CircuitState]
    CIRCUIT_STATE_HALF_OPEN: _ClassVar[CircuitState]
BRANCH_OUTCOME_UNSPECIFIED: BranchOutcome
BRANCH_OUTCOME_SUCCESS: BranchOutcome
BRANCH_OUTCOME_FAILURE: BranchOutcome
BRANCH_OUTCOME_ONGOING: BranchOutcome
BRANCH_OUTCOME_UNKNOWN: BranchOutcome
CIRCUIT_STATE_UNSPECIFIED: CircuitState
CIRCUIT_STATE_CLOSED: CircuitState
CIRCUIT_STATE_OPEN: CircuitState
CIRCUIT_STATE_HALF_OPEN: CircuitState

class TransactionFilter(_message.Message):
    __slots__ = ("statuses", "modes", "gid_prefix", "created_after", "created_before", "stuck_older_than", "stuck_min_attempts", "target_contains")
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    MODES_FIELD_NUMBER: _ClassVar[int]
    GID_PREFIX_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    STUCK_OLDER_THAN_FIELD_NUMBER: _ClassVar[int]
    STUCK_MIN_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    TARGET_CONTAINS_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedScalarFieldContainer[_transaction_pb2.TransactionStatus]
    modes: _containers.RepeatedScalarFieldContainer[_transaction_pb2.Mode]
    gid_prefix: str
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    stuck_older_than: _duration_pb2.Duration
    stuck_min_attempts: int
    target_contains: str
    def __init__(self, statuses: _Optional[_Iterable[_Union[_transaction_pb2.TransactionStatus, str]]] = ..., modes: _Optional[_Iterable[_Union[_transaction_pb2.Mode, str]]] = ..., gid_prefix: _Optional[str] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stuck_older_than: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., stuck_min_attempts: _Optional[int] = ..., target_contains: _Optional[str] = ...) -> None: ...

class ListTransactionsRequest(_message.Message):
    __slots__ = ("filter", "page_size", "page_token")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    filter: TransactionFilter
    page_size: int
    page_token: str
    def __init__(self, filter: _Optional[_Union[TransactionFilter, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTransactionsResponse(_message.Message):
    __slots__ = ("transactions", "next_page_token")
    TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    transactions: _containers.RepeatedCompositeFieldContainer[_transaction_pb2.Transaction]
    next_page_token: str
    def __init__(self, transactions: _Optional[_Iterable[_Union[_transaction_pb2.Transaction, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class InspectTransactionRequest(_message.Message):
    __slots__ = ("gid",)
    GID_FIELD_NUMBER: _ClassVar[int]
    gid: str
    def __init__(self, gid: _Optional[str] = ...) -> None: ...

class BranchAttempt(_message.Message):
    __slots__ = ("branch_id", "op", "time", "outcome", "error")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    op: _transaction_pb2.BranchOp
    time: _timestamp_pb2.Timestamp
    outcome: BranchOutcome
    error: str
    def __init__(self, branch_id: _Optional[str] = ..., op: _Optional[_Union[_transaction_pb2.BranchOp, str]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[_Union[BranchOutcome, str]] = ..., error: _Optional[str] = ...) -> None: ...

class InspectTransactionResponse(_message.Message):
    __slots__ = ("transaction", "timeline")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    TIMELINE_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    timeline: _containers.RepeatedCompositeFieldContainer[BranchAttempt]
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., timeline: _Optional[_Iterable[_Union[BranchAttempt, _Mapping]]] = ...) -> None: ...

class RetryNowRequest(_message.Message):
    __slots__ = ("gid",)
    GID_FIELD_NUMBER: _ClassVar[int]
    gid: str
    def __init__(self, gid: _Optional[str] = ...) -> None: ...

class RetryNowResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...

class RetryAllNowRequest(_message.Message):
    __slots__ = ("due_later_than", "limit")
    DUE_LATER_THAN_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    due_later_than: _duration_pb2.Duration
    limit: int
    def __init__(self, due_later_than: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class RetryAllNowResponse(_message.Message):
    __slots__ = ("count", "remaining")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    count: int
    remaining: bool
    def __init__(self, count: _Optional[int] = ..., remaining: _Optional[bool] = ...) -> None: ...

class ForceStopRequest(_message.Message):
    __slots__ = ("gid", "reason", "operator")
    GID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    gid: str
    reason: str
    operator: str
    def __init__(self, gid: _Optional[str] = ..., reason: _Optional[str] = ..., operator: _Optional[str] = ...) -> None: ...

class ForceStopResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...

class CountTransactionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TransactionCount(_message.Message):
    __slots__ = ("status", "mode", "count")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    status: _transaction_pb2.TransactionStatus
    mode: _transaction_pb2.Mode
    count: int
    def __init__(self, status: _Optional[_Union[_transaction_pb2.TransactionStatus, str]] = ..., mode: _Optional[_Union[_transaction_pb2.Mode, str]] = ..., count: _Optional[int] = ...) -> None: ...

class CountTransactionsResponse(_message.Message):
    __slots__ = ("counts",)
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedCompositeFieldContainer[TransactionCount]
    def __init__(self, counts: _Optional[_Iterable[_Union[TransactionCount, _Mapping]]] = ...) -> None: ...

class GetOverviewRequest(_message.Message):
    __slots__ = ("window", "stuck_after")
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    STUCK_AFTER_FIELD_NUMBER: _ClassVar[int]
    window: _duration_pb2.Duration
    stuck_after: _duration_pb2.Duration
    def __init__(self, window: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., stuck_after: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class Circuit(_message.Message):
    __slots__ = ("address", "state", "consecutive_failures")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONSECUTIVE_FAILURES_FIELD_NUMBER: _ClassVar[int]
    address: str
    state: CircuitState
    consecutive_failures: int
    def __init__(self, address: _Optional[str] = ..., state: _Optional[_Union[CircuitState, str]] = ..., consecutive_failures: _Optional[int] = ...) -> None: ...

class GovernedService(_message.Message):
    __slots__ = ("address", "max_concurrency", "rate_per_second", "burst", "in_flight", "waiting")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    RATE_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    BURST_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    address: str
    max_concurrency: int
    rate_per_second: float
    burst: float
    in_flight: int
    waiting: int
    def __init__(self, address: _Optional[str] = ..., max_concurrency: _Optional[int] = ..., rate_per_second: _Optional[float] = ..., burst: _Optional[float] = ..., in_flight: _Optional[int] = ..., waiting: _Optional[int] = ...) -> None: ...

class GetOverviewResponse(_message.Message):
    __slots__ = ("window", "created", "succeeded", "failed", "stuck", "unfinished", "in_flight", "circuits", "governed_services")
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    SUCCEEDED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    STUCK_FIELD_NUMBER: _ClassVar[int]
    UNFINISHED_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    CIRCUITS_FIELD_NUMBER: _ClassVar[int]
    GOVERNED_SERVICES_FIELD_NUMBER: _ClassVar[int]
    window: _duration_pb2.Duration
    created: int
    succeeded: int
    failed: int
    stuck: int
    unfinished: int
    in_flight: int
    circuits: _containers.RepeatedCompositeFieldContainer[Circuit]
    governed_services: _containers.RepeatedCompositeFieldContainer[GovernedService]
    def __init__(self, window: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., created: _Optional[int] = ..., succeeded: _Optional[int] = ..., failed: _Optional[int] = ..., stuck: _Optional[int] = ..., unfinished: _Optional[int] = ..., in_flight: _Optional[int] = ..., circuits: _Optional[_Iterable[_Union[Circuit, _Mapping]]] = ..., governed_services: _Optional[_Iterable[_Union[GovernedService, _Mapping]]] = ...) -> None: ...

class SetLogLevelRequest(_message.Message):
    __slots__ = ("level",)
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    level: str
    def __init__(self, level: _Optional[str] = ...) -> None: ...

class SetLogLevelResponse(_message.Message):
    __slots__ = ("previous",)
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    previous: str
    def __init__(self, previous: _Optional[str] = ...) -> None: ...
