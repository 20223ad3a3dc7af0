"""dtm's own Python SDK, dtmcli (from PyPI, used unchanged), drives transactions through Concord's
dtm HTTP API: sagas, TCCs and two-phase messages against an in-memory HTTP bank that this program
serves itself. Every outcome is checked through dtm's `GET /query` (transaction status, branch rows
in dtm's order and words) and the bank's balances. Exits 0 when every check holds.

    .bin/venv/bin/python examples/python/dtm_client.py --dtm http://localhost:36789/api/dtmsvr --port 0

--dtm (or DTM_HTTP_SERVER, default http://localhost:36789/api/dtmsvr) is Concord's dtm API, the
base URL a dtm SDK is given; --port (or BUSI_PORT, default 0 = any free port) is where the bank
listens on 127.0.0.1. Needs dtmcli and requests (tools/requirements.txt; `make python-venv`).

What dtmcli 1.7.7.0 offers, and so what is shown: saga.Saga (add, submit; wait_result is a
TransBase field without a setter), tcc.tcc_global_transaction with Tcc.call_branch, msg.Msg (add,
prepare, submit, do_and_submit, set_wait_result) and utils.gen_gid. Not used: its barrier (it
needs MySQL), XA (dtmcli-py has none) and Saga.set_concurrent/add_branch_order (broken in 1.7.7.0).
"""
import argparse
import contextlib
import io
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import requests
from dtmcli import msg, saga, tcc, utils

WAIT_S = 15  # the longest a transaction that completes in the background is waited for
SUCCESS = {"dtm_result": "SUCCESS"}
# The op that must have succeeded before this one changes anything (else it is a null compensation or cancel).
FIRST_OP = {"compensate": "action", "cancel": "try", "confirm": "try"}


class CheckFailed(Exception):
    pass


def check(ok: bool, message: str) -> None:
    if not ok:
        raise CheckFailed(message)


class Bank:
    """Balances, TCC holds and a log of the branch calls. Calls are at-least-once, so each
    gid+branch_id+op is applied once and its first answer repeated."""

    def __init__(self, balances: dict[str, int]):
        self.lock = threading.Lock()
        self.balances = dict(balances)
        self.frozen = {a: 0 for a in balances}  # held by a TCC TransOutTry until confirm or cancel
        self.incoming = {a: 0 for a in balances}  # promised by a TCC TransInTry
        self.answers: dict[tuple[str, str, str], tuple[int, dict]] = {}
        self.calls: list[tuple[str, str, str, str, str, str]] = []  # method, name, gid, trans_type, branch_id, op
        self.committed: set[str] = set()  # gids whose msg local transaction committed

    def serve(self, method: str, name: str, q: dict[str, str], body: dict) -> tuple[int, dict]:
        gid, branch_id, op = q.get("gid", ""), q.get("branch_id", ""), q.get("op", "")
        with self.lock:
            self.calls.append((method, name, gid, q.get("trans_type", ""), branch_id, op))
            if name == "QueryPrepared":  # dtm's back-check of a prepared msg: did its local transaction commit?
                return (200, SUCCESS) if gid in self.committed else (409, {"dtm_result": "FAILURE", "message": "local transaction rolled back"})
            key = (gid, branch_id, op)
            if key not in self.answers:
                did = self.answers.get((gid, branch_id, FIRST_OP.get(op, "")), (0,))[0] == 200
                self.answers[key] = self.apply(name, did, body["account"], int(body["amount"]))
            return self.answers[key]

    def apply(self, name: str, did: bool, account: str, amount: int) -> tuple[int, dict]:
        b, frozen, incoming = self.balances, self.frozen, self.incoming
        if name in ("TransOut", "TransOutTry"):
            if b[account] - frozen[account] < amount:
                return 409, {"dtm_result": "FAILURE", "message": "insufficient funds"}
            if name == "TransOut":
                b[account] -= amount
            else:
                frozen[account] += amount
        elif name == "TransIn":
            b[account] += amount
        elif name == "TransInTry":
            incoming[account] += amount
        elif name == "TransOutCompensate" and did:
            b[account] += amount
        elif name == "TransInCompensate" and did:
            b[account] -= amount
        elif name == "TransOutConfirm" and did:
            frozen[account] -= amount
            b[account] -= amount
        elif name == "TransInConfirm" and did:
            incoming[account] -= amount
            b[account] += amount
        elif name == "TransOutCancel" and did:
            frozen[account] -= amount
        elif name == "TransInCancel" and did:
            incoming[account] -= amount
        return 200, SUCCESS

    def local_trans_out(self, gid: str, account: str, amount: int) -> None:
        """A msg's local transaction: take the money out and remember that gid committed."""
        with self.lock:
            if self.balances[account] < amount:
                raise utils.DTMFailureError("insufficient funds")
            self.balances[account] -= amount
            self.committed.add(gid)

    def snapshot(self) -> tuple[dict[str, int], int]:
        with self.lock:
            return dict(self.balances), sum(self.frozen.values()) + sum(self.incoming.values())

    def called(self, gid: str) -> list[tuple[str, str, str, str, str]]:
        with self.lock:
            return [(m, n, t, b, o) for (m, n, g, t, b, o) in self.calls if g == gid]


def serve_bank(bank: Bank, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def answer(self, method: str) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            status, body = bank.serve(method, url.path.rsplit("/", 1)[-1], dict(parse_qsl(url.query)), json.loads(raw or b"{}"))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self.answer("GET")

        def do_POST(self) -> None:
            self.answer("POST")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Example:
    def __init__(self, dtm: str, bank: Bank, busi: str):
        self.dtm, self.bank, self.busi = dtm, bank, busi

    def query(self, gid: str) -> dict:
        r = requests.get(f"{self.dtm}/query", params={"gid": gid}, timeout=10)
        check(r.status_code == 200, f"query {gid}: HTTP {r.status_code} {r.text}")
        return r.json()

    def wait_final(self, gid: str) -> dict:
        """Poll dtm's query until the transaction is succeed or failed, WAIT_S at most."""
        deadline = time.monotonic() + WAIT_S
        while True:
            q = self.query(gid)
            status = (q.get("transaction") or {}).get("status")
            if status in ("succeed", "failed"):
                return q
            check(time.monotonic() < deadline, f"{gid} is still {status} after {WAIT_S} s")
            time.sleep(0.2)

    def check_trans(self, q: dict, trans_type: str, status: str, rows: list[tuple[str, str, str]]) -> None:
        t = q.get("transaction") or {}
        gid = t.get("gid")
        check((t.get("trans_type"), t.get("status")) == (trans_type, status), f"{gid}: {t.get('trans_type')} {t.get('status')}, want {trans_type} {status}")
        got = [(b.get("branch_id"), b.get("op"), b.get("status")) for b in q.get("branches") or []]
        check(got == rows, f"{gid}: branches (branch_id, op, status) = {got}, want {rows}")
        if status == "failed" and trans_type == "saga":
            check(bool(t.get("rollback_reason")), f"{gid}: failed without a rollback_reason")

    def check_bank(self, when: str, alice: int, bob: int, carol: int) -> None:
        balances, held = self.bank.snapshot()
        got = (balances["alice"], balances["bob"], balances["carol"])
        check(got == (alice, bob, carol), f"{when}: alice/bob/carol = {got}, want {(alice, bob, carol)}")
        check(held == 0, f"{when}: {held} still frozen or promised by a TCC")

    def check_calls(self, gid: str, *wanted: tuple[str, str, str, str, str]) -> None:
        got = self.bank.called(gid)
        missing = [w for w in wanted if w not in got]
        check(not missing, f"{gid}: the bank was not called as dtm calls branches: missing {missing}; got {got}")

    def url(self, name: str) -> str:
        return f"{self.busi}/{name}"

    def gid(self) -> str:
        return utils.gen_gid(self.dtm)

    def gen_gid(self) -> None:
        a, b = self.gid(), self.gid()
        check(isinstance(a, str) and a != "" and a != b, f"gen_gid gave {a!r} and {b!r}, want two different gids")
        print(f"gen_gid: {a}, {b}")

    def saga_succeeds(self) -> None:
        """alice pays bob 30; with wait_result, submit answers once the saga has succeeded."""
        gid = self.gid()
        s = saga.Saga(self.dtm, gid)
        s.add({"account": "alice", "amount": 30}, self.url("TransOut"), self.url("TransOutCompensate"))
        s.add({"account": "bob", "amount": 30}, self.url("TransIn"), self.url("TransInCompensate"))
        s.trans_base.wait_result = True
        s.submit()
        rows = [("01", "compensate", "prepared"), ("01", "action", "succeed"), ("02", "compensate", "prepared"), ("02", "action", "succeed")]
        self.check_trans(self.query(gid), "saga", "succeed", rows)
        self.check_calls(gid, ("POST", "TransOut", "saga", "01", "action"), ("POST", "TransIn", "saga", "02", "action"))
        self.check_bank("after the saga", 70, 30, 0)
        print(f"saga {gid} succeeded: alice=70 bob=30")

    def saga_rolls_back(self) -> None:
        """alice pays bob 500: bob's TransIn succeeds, alice's TransOut answers FAILURE, both are compensated."""
        gid = self.gid()
        s = saga.Saga(self.dtm, gid)
        s.add({"account": "bob", "amount": 500}, self.url("TransIn"), self.url("TransInCompensate"))
        s.add({"account": "alice", "amount": 500}, self.url("TransOut"), self.url("TransOutCompensate"))
        s.trans_base.wait_result = True
        try:
            s.submit()
            raise CheckFailed(f"saga {gid}: submit with wait_result succeeded, want dtm's FAILURE")
        except utils.DTMFailureError:
            pass
        q = self.query(gid)
        rows = [("01", "compensate", "succeed"), ("01", "action", "succeed"), ("02", "compensate", "succeed"), ("02", "action", "failed")]
        self.check_trans(q, "saga", "failed", rows)
        undo = [(n, b) for (_, n, _, b, o) in self.bank.called(gid) if o == "compensate"]
        check(undo[:2] == [("TransOutCompensate", "02"), ("TransInCompensate", "01")], f"saga {gid}: compensations ran as {undo}, want 02 then 01")
        self.check_bank("after the rolled-back saga", 70, 30, 0)
        print(f"saga {gid} rolled back ({q['transaction']['rollback_reason']}): balances unchanged")

    def tcc_transfer(self, source: str, dest: str, amount: int, source_first: bool) -> tuple[str, str]:
        """A TCC moving amount from source to dest; returns (gid, what tcc_global_transaction returned)."""
        gid = self.gid()
        out = ({"account": source, "amount": amount}, self.url("TransOutTry"), self.url("TransOutConfirm"), self.url("TransOutCancel"))
        into = ({"account": dest, "amount": amount}, self.url("TransInTry"), self.url("TransInConfirm"), self.url("TransInCancel"))

        def branches(t: tcc.Tcc) -> None:
            for branch in (out, into) if source_first else (into, out):
                t.call_branch(*branch)

        # On a failed try, dtmcli prints the traceback to stderr and aborts; it is expected here.
        with contextlib.redirect_stderr(io.StringIO()):
            returned = tcc.tcc_global_transaction(self.dtm, gid, branches)
        return gid, returned

    def tcc_succeeds(self) -> None:
        """alice pays carol 20: both tries succeed, Concord confirms after the submit."""
        gid, returned = self.tcc_transfer("alice", "carol", 20, source_first=True)
        check(returned == gid, f"tcc {gid}: tcc_global_transaction returned {returned!r}, want the gid")
        rows = [("01", "cancel", "prepared"), ("01", "confirm", "succeed"), ("02", "cancel", "prepared"), ("02", "confirm", "succeed")]
        self.check_trans(self.wait_final(gid), "tcc", "succeed", rows)
        self.check_calls(
            gid,
            ("POST", "TransOutTry", "tcc", "01", "try"),
            ("POST", "TransInTry", "tcc", "02", "try"),
            ("POST", "TransOutConfirm", "tcc", "01", "confirm"),
            ("POST", "TransInConfirm", "tcc", "02", "confirm"),
        )
        self.check_bank("after the tcc", 50, 30, 20)
        print(f"tcc {gid} confirmed: alice=50 carol=20")

    def tcc_rolls_back(self) -> None:
        """alice pays carol 500: carol's try succeeds, alice's answers FAILURE; dtmcli aborts, both cancel."""
        gid, returned = self.tcc_transfer("alice", "carol", 500, source_first=False)
        check(returned == "", f"tcc {gid}: tcc_global_transaction returned {returned!r}, want '' (aborted)")
        rows = [("01", "cancel", "succeed"), ("01", "confirm", "prepared"), ("02", "cancel", "succeed"), ("02", "confirm", "prepared")]
        self.check_trans(self.wait_final(gid), "tcc", "failed", rows)
        self.check_calls(gid, ("POST", "TransInCancel", "tcc", "01", "cancel"), ("POST", "TransOutCancel", "tcc", "02", "cancel"))
        self.check_bank("after the cancelled tcc", 50, 30, 20)
        print(f"tcc {gid} cancelled: balances unchanged, nothing frozen")

    def new_msg(self, dest: str, amount: int) -> tuple[str, msg.Msg]:
        gid = self.gid()
        return gid, msg.Msg(self.dtm, gid).add({"account": dest, "amount": amount}, self.url("TransIn"))

    def msg_succeeds(self) -> None:
        """bob pays carol 10: the local TransOut commits inside do_and_submit, then Concord calls TransIn."""
        gid, m = self.new_msg("carol", 10)
        m.set_wait_result()
        m.do_and_submit(self.url("QueryPrepared"), lambda _barrier: self.bank.local_trans_out(gid, "bob", 10))
        self.check_trans(self.query(gid), "msg", "succeed", [("01", "action", "succeed")])
        self.check_calls(gid, ("POST", "TransIn", "msg", "01", "action"))
        self.check_bank("after the msg", 50, 20, 30)
        print(f"msg {gid} succeeded: bob=20 carol=30")

    def msg_aborts(self) -> None:
        """bob pays carol 500: the local transaction fails with FAILURE, so do_and_submit aborts the msg."""
        gid, m = self.new_msg("carol", 500)
        try:
            m.do_and_submit(self.url("QueryPrepared"), lambda _barrier: self.bank.local_trans_out(gid, "bob", 500))
            raise CheckFailed(f"msg {gid}: do_and_submit did not raise the local transaction's FAILURE")
        except utils.DTMFailureError:
            pass
        self.check_trans(self.wait_final(gid), "msg", "failed", [("01", "action", "prepared")])
        check(self.bank.called(gid) == [], f"msg {gid}: the bank was called for an aborted msg: {self.bank.called(gid)}")
        self.check_bank("after the aborted msg", 50, 20, 30)
        print(f"msg {gid} aborted: balances unchanged")

    def msg_back_check(self) -> None:
        """Two msgs prepared and never submitted (the client "crashed"); after timeout_to_fail Concord
        asks QueryPrepared: bob's committed local transaction is submitted, the other one fails."""
        committed, m1 = self.new_msg("alice", 5)
        lost, m2 = self.new_msg("alice", 7)
        for m in (m1, m2):
            m.trans_base.timeout_to_fail = 2
            m.prepare(self.url("QueryPrepared"))
        self.bank.local_trans_out(committed, "bob", 5)
        self.check_trans(self.wait_final(committed), "msg", "succeed", [("01", "action", "succeed")])
        self.check_trans(self.wait_final(lost), "msg", "failed", [("01", "action", "prepared")])
        for gid in (committed, lost):
            self.check_calls(gid, ("GET", "QueryPrepared", "msg", "00", "msg"))
        self.check_calls(committed, ("POST", "TransIn", "msg", "01", "action"))
        self.check_bank("after the back-checked msgs", 55, 15, 30)
        print(f"msg {committed} submitted and msg {lost} failed by Concord's QueryPrepared back-check: alice=55 bob=15")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtm", default=os.environ.get("DTM_HTTP_SERVER") or "http://localhost:36789/api/dtmsvr")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BUSI_PORT") or 0))
    args = parser.parse_args()

    bank = Bank({"alice": 100, "bob": 0, "carol": 0})
    server = serve_bank(bank, args.port)
    try:
        example = Example(args.dtm.rstrip("/"), bank, f"http://127.0.0.1:{server.server_address[1]}/api/busi")
        example.gen_gid()
        example.saga_succeeds()
        example.saga_rolls_back()
        example.tcc_succeeds()
        example.tcc_rolls_back()
        example.msg_succeeds()
        example.msg_aborts()
        example.msg_back_check()
        print("python dtmcli: all checks passed")
        return 0
    except CheckFailed as e:
        print(f"python dtmcli FAILED: {e}", file=sys.stderr)
    except Exception as e:  # dtmcli's own errors, requests' (Concord not reachable), anything unexpected
        print(f"python dtmcli FAILED: {type(e).__name__}: {e}", file=sys.stderr)
    finally:
        server.shutdown()
    return 1


if __name__ == "__main__":
    sys.exit(main())
