"""The example bank: a branch service holding balances in memory.

Concord calls its methods with the request bytes the client put in the step payload and the dtm-*
metadata; a business "no" (insufficient funds) is the status ABORTED. Branch calls are
at-least-once, so each (gid, branch id, op) is applied once, and the two races dtm's barrier
guards against are handled the same way in memory: a compensation/cancel whose action/try never
ran does nothing ("null compensation"), an action/try arriving after its compensation/cancel does
nothing ("hanging").
"""
import threading

import grpc

from bank.v1 import bank_pb2, bank_pb2_grpc

# The op each undo op reverses.
UNDOES = {"compensate": "action", "cancel": "try"}


class InsufficientFunds(Exception):
    pass


class Bank(bank_pb2_grpc.BankServiceServicer):
    def __init__(self, opening: dict[str, int]):
        self._balances = dict(opening)
        self._frozen: dict[str, int] = {}
        self._done: set[str] = set()
        self._lock = threading.Lock()

    def balance(self, account: str) -> int:
        with self._lock:
            return self._balances.get(account, 0)

    def frozen(self, account: str) -> int:
        with self._lock:
            return self._frozen.get(account, 0)

    def _serve(self, request, context, change):
        metadata = dict(context.invocation_metadata())
        gid, branch_id, op = (metadata.get(f"dtm-{k}") for k in ("gid", "branch_id", "op"))
        if not (gid and branch_id and op):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "not a Concord branch call: no dtm-gid/dtm-branch_id/dtm-op metadata")
        branch = f"{gid}:{branch_id}:"
        with self._lock:
            origin = UNDOES.get(op)
            repeated = branch + op in self._done
            null_compensation = origin is not None and branch + origin not in self._done
            hanging = origin is None and (branch + "compensate" in self._done or branch + "cancel" in self._done)
            if not (repeated or null_compensation or hanging):
                try:
                    change(request)
                except InsufficientFunds as e:
                    context.abort(grpc.StatusCode.ABORTED, str(e))
            self._done.add(branch + op)
        return bank_pb2.TransferResponse()

    # Called with the lock held.
    def _move(self, account: str, delta: int) -> None:
        balance = self._balances.get(account, 0) + delta
        if balance < self._frozen.get(account, 0):
            raise InsufficientFunds(f"insufficient funds in {account}")
        self._balances[account] = balance

    def _freeze(self, account: str, delta: int) -> None:
        frozen = self._frozen.get(account, 0) + delta
        if frozen > self._balances.get(account, 0):
            raise InsufficientFunds(f"insufficient funds in {account}")
        self._frozen[account] = frozen

    def TransOut(self, request, context):
        return self._serve(request, context, lambda t: self._move(t.account, -t.amount))

    def TransOutCompensate(self, request, context):
        return self._serve(request, context, lambda t: self._move(t.account, t.amount))

    def TransIn(self, request, context):
        return self._serve(request, context, lambda t: self._move(t.account, t.amount))

    def TransInCompensate(self, request, context):
        return self._serve(request, context, lambda t: self._move(t.account, -t.amount))

    def TryTransOut(self, request, context):
        return self._serve(request, context, lambda t: self._freeze(t.account, t.amount))

    def ConfirmTransOut(self, request, context):
        def confirm(t):
            self._freeze(t.account, -t.amount)
            self._move(t.account, -t.amount)

        return self._serve(request, context, confirm)

    def CancelTransOut(self, request, context):
        return self._serve(request, context, lambda t: self._freeze(t.account, -t.amount))

    def TryTransIn(self, request, context):
        return self._serve(request, context, lambda t: None)

    def ConfirmTransIn(self, request, context):
        return self._serve(request, context, lambda t: self._move(t.account, t.amount))

    def CancelTransIn(self, request, context):
        return self._serve(request, context, lambda t: None)
