package main

import (
	"fmt"
	"strings"

	"github.com/dtm-labs/client/dtmcli"
	"github.com/dtm-labs/client/dtmgrpc"
	"github.com/go-resty/resty/v2"

	bankv1 "concord.dev/examples/go/gen/bank/v1"
)

// Every scenario opens alice with 100 and bob with 0, and moves money between them.
var opening = map[string]int64{"alice": 100, "bob": 0}

// moved is the balances after alice paid bob 30.
var moved = map[string]int64{"alice": 70, "bob": 30}

// httpSagaSucceeds: (1) a dtmcli saga, alice pays bob 30; WaitResult makes Submit return once
// Concord has run both actions.
func (c *checks) httpSagaSucceeds() error {
	c.bank.open(opening)
	gid := c.gid("http-saga")
	saga := dtmcli.NewSaga(c.dtmHTTP, gid).
		Add(c.bankHTTP+"/TransOut", c.bankHTTP+"/TransOutCompensate", transfer{"alice", 30}).
		Add(c.bankHTTP+"/TransIn", c.bankHTTP+"/TransInCompensate", transfer{"bob", 30})
	saga.WaitResult = true
	if err := saga.Submit(); err != nil {
		return fmt.Errorf("submit %s: %w", gid, err)
	}
	// dtm's order: per step its compensation (never run) then its action.
	if _, err := c.expect(gid, "succeed", "prepared", "succeed", "prepared", "succeed"); err != nil {
		return err
	}
	if err := c.bank.expect("after the saga", moved); err != nil {
		return err
	}
	fmt.Printf("dtmcli saga %s succeeded: alice=70 bob=30\n", gid)
	return nil
}

// httpSagaRollsBack: (2) a dtmcli saga that credits bob 500, then debits alice 500, which she does
// not have: the debit answers FAILURE, Submit returns that failure, and Concord compensates both
// steps (the failed debit's compensation is a null compensation the bank skips).
func (c *checks) httpSagaRollsBack() error {
	c.bank.open(opening)
	gid := c.gid("http-saga-rollback")
	saga := dtmcli.NewSaga(c.dtmHTTP, gid).
		Add(c.bankHTTP+"/TransIn", c.bankHTTP+"/TransInCompensate", transfer{"bob", 500}).
		Add(c.bankHTTP+"/TransOut", c.bankHTTP+"/TransOutCompensate", transfer{"alice", 500})
	saga.WaitResult = true
	return c.expectRollback(gid, saga.Submit())
}

// expectRollback checks a saga whose second step failed: Submit's error carries the branch's
// message, both compensations ran, and the balances are as they were.
func (c *checks) expectRollback(gid string, submitted error) error {
	if submitted == nil {
		return fmt.Errorf("submit %s returned no error, want the failure", gid)
	}
	if !strings.Contains(submitted.Error(), "insufficient funds in alice") {
		return fmt.Errorf("submit %s: error %q does not carry the branch's failure", gid, submitted)
	}
	if _, err := c.expect(gid, "failed", "succeed", "succeed", "succeed", "failed"); err != nil {
		return err
	}
	if err := c.bank.expect("after the rollback", opening); err != nil {
		return err
	}
	fmt.Printf("saga %s rolled back, balances unchanged; Submit said: %v\n", gid, submitted)
	return nil
}

// httpMsg: (3) a dtmcli msg, alice pays bob 30. Submit returns at once; Concord then runs both
// actions (it would ask QueryPrepared only about a msg left prepared).
func (c *checks) httpMsg() error {
	c.bank.open(opening)
	gid := c.gid("http-msg")
	msg := dtmcli.NewMsg(c.dtmHTTP, gid).
		Add(c.bankHTTP+"/TransOut", transfer{"alice", 30}).
		Add(c.bankHTTP+"/TransIn", transfer{"bob", 30})
	msg.QueryPrepared = c.bankHTTP + "/QueryPrepared"
	if err := msg.Submit(); err != nil {
		return fmt.Errorf("submit %s: %w", gid, err)
	}
	if _, err := c.expect(gid, "succeed", "succeed", "succeed"); err != nil {
		return err
	}
	if err := c.bank.expect("after the msg", moved); err != nil {
		return err
	}
	fmt.Printf("dtmcli msg %s succeeded: alice=70 bob=30\n", gid)
	return nil
}

// httpTcc: (4) a dtmcli TCC, alice pays bob 30: the client registers each branch and calls its try
// itself; when the function returns nil, TccGlobalTransaction submits and Concord confirms both.
func (c *checks) httpTcc() error {
	c.bank.open(opening)
	gid := c.gid("http-tcc")
	err := dtmcli.TccGlobalTransaction(c.dtmHTTP, gid, func(tcc *dtmcli.Tcc) (*resty.Response, error) {
		if _, err := tcc.CallBranch(transfer{"alice", 30}, c.bankHTTP+"/TryTransOut", c.bankHTTP+"/ConfirmTransOut", c.bankHTTP+"/CancelTransOut"); err != nil {
			return nil, err
		}
		return tcc.CallBranch(transfer{"bob", 30}, c.bankHTTP+"/TryTransIn", c.bankHTTP+"/ConfirmTransIn", c.bankHTTP+"/CancelTransIn")
	})
	if err != nil {
		return fmt.Errorf("tcc %s: %w", gid, err)
	}
	// dtm's order: per branch its cancel (never run) then its confirm.
	if _, err := c.expect(gid, "succeed", "prepared", "succeed", "prepared", "succeed"); err != nil {
		return err
	}
	if err := c.bank.expect("after the tcc", moved); err != nil {
		return err
	}
	fmt.Printf("dtmcli tcc %s confirmed: alice=70 bob=30\n", gid)
	return nil
}

// grpcSagaSucceeds: (5) the same saga as (1) through dtmgrpc, the bank's gRPC methods as branches.
func (c *checks) grpcSagaSucceeds() error {
	c.bank.open(opening)
	gid := c.gid("grpc-saga")
	saga := dtmgrpc.NewSagaGrpc(c.dtmGrpc, gid).
		Add(c.bankGrpc+"/TransOut", c.bankGrpc+"/TransOutCompensate", &bankv1.TransferRequest{Account: "alice", Amount: 30}).
		Add(c.bankGrpc+"/TransIn", c.bankGrpc+"/TransInCompensate", &bankv1.TransferRequest{Account: "bob", Amount: 30})
	saga.WaitResult = true
	if err := saga.Submit(); err != nil {
		return fmt.Errorf("submit %s: %w", gid, err)
	}
	if _, err := c.expect(gid, "succeed", "prepared", "succeed", "prepared", "succeed"); err != nil {
		return err
	}
	if err := c.bank.expect("after the grpc saga", moved); err != nil {
		return err
	}
	fmt.Printf("dtmgrpc saga %s succeeded: alice=70 bob=30\n", gid)
	return nil
}

// grpcSagaRollsBack: (6) the same failing saga as (2) through dtmgrpc: the debit answers ABORTED.
func (c *checks) grpcSagaRollsBack() error {
	c.bank.open(opening)
	gid := c.gid("grpc-saga-rollback")
	saga := dtmgrpc.NewSagaGrpc(c.dtmGrpc, gid).
		Add(c.bankGrpc+"/TransIn", c.bankGrpc+"/TransInCompensate", &bankv1.TransferRequest{Account: "bob", Amount: 500}).
		Add(c.bankGrpc+"/TransOut", c.bankGrpc+"/TransOutCompensate", &bankv1.TransferRequest{Account: "alice", Amount: 500})
	saga.WaitResult = true
	return c.expectRollback(gid, saga.Submit())
}

// grpcTcc: (7) the same TCC as (4) through dtmgrpc.
func (c *checks) grpcTcc() error {
	c.bank.open(opening)
	gid := c.gid("grpc-tcc")
	err := dtmgrpc.TccGlobalTransaction(c.dtmGrpc, gid, func(tcc *dtmgrpc.TccGrpc) error {
		reply := &bankv1.TransferResponse{}
		if err := tcc.CallBranch(&bankv1.TransferRequest{Account: "alice", Amount: 30},
			c.bankGrpc+"/TryTransOut", c.bankGrpc+"/ConfirmTransOut", c.bankGrpc+"/CancelTransOut", reply); err != nil {
			return err
		}
		return tcc.CallBranch(&bankv1.TransferRequest{Account: "bob", Amount: 30},
			c.bankGrpc+"/TryTransIn", c.bankGrpc+"/ConfirmTransIn", c.bankGrpc+"/CancelTransIn", reply)
	})
	if err != nil {
		return fmt.Errorf("tcc %s: %w", gid, err)
	}
	if _, err := c.expect(gid, "succeed", "prepared", "succeed", "prepared", "succeed"); err != nil {
		return err
	}
	if err := c.bank.expect("after the grpc tcc", moved); err != nil {
		return err
	}
	fmt.Printf("dtmgrpc tcc %s confirmed: alice=70 bob=30\n", gid)
	return nil
}

// newGids: (8) both SDKs' MustGenGid ask Concord for a gid (they panic when they cannot).
func (c *checks) newGids() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("MustGenGid panicked: %v", r)
		}
	}()
	httpGid, grpcGid := dtmcli.MustGenGid(c.dtmHTTP), dtmgrpc.MustGenGid(c.dtmGrpc)
	if httpGid == "" || grpcGid == "" || httpGid == grpcGid {
		return fmt.Errorf("want two distinct non-empty gids, got %q and %q", httpGid, grpcGid)
	}
	fmt.Printf("new gids: %s (dtmcli), %s (dtmgrpc)\n", httpGid, grpcGid)
	return nil
}
