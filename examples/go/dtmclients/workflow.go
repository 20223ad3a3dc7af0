package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/dtm-labs/client/dtmcli"
	"github.com/dtm-labs/client/workflow"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	bankv1 "concord.dev/examples/go/gen/bank/v1"
)

// Workflows through dtm's own workflow client (github.com/dtm-labs/client/workflow, the package dtm
// v1.19 ships as client/workflow), over Concord's dtm gRPC API: the client runs the function and
// records each step with Concord (PrepareWorkflow, RegisterBranch, Submit); on a failure it calls
// the compensations of the steps done so far itself, newest first, and records them (op rollback).
// Concord would resume an unfinished one at /workflow.Workflow/Execute on the bank's gRPC server.

// workflowName is the registered function: credit `to`, then debit `from`, each step a call to the
// bank's gRPC methods through workflow.Interceptor (which records it), each with its compensation.
const workflowName = "go-dtmclients-transfer"

// wfTransfer is the workflow's input (JSON).
type wfTransfer struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount int64  `json:"amount"`
}

// initWorkflow registers workflowName on grpcServer (before it serves) and returns the bank client
// the workflow's steps call.
func initWorkflow(dtmGrpc string, grpcServer *grpc.Server, bankAddr string) (*grpc.ClientConn, error) {
	workflow.InitGrpc(dtmGrpc, bankAddr, grpcServer)
	conn, err := grpc.NewClient(bankAddr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithUnaryInterceptor(workflow.Interceptor))
	if err != nil {
		return nil, err
	}
	bank := bankv1.NewBankServiceClient(conn)
	err = workflow.Register2(workflowName, func(wf *workflow.Workflow, data []byte) ([]byte, error) {
		var t wfTransfer
		if err := json.Unmarshal(data, &t); err != nil {
			return nil, fmt.Errorf("bad input %q: %v: %w", data, err, dtmcli.ErrFailure)
		}
		credit := &bankv1.TransferRequest{Account: t.To, Amount: t.Amount}
		debit := &bankv1.TransferRequest{Account: t.From, Amount: t.Amount}
		// Step 01: credit `to`; undone by TransInCompensate on a rollback.
		wf.NewBranch().OnRollback(func(*dtmcli.BranchBarrier) error {
			_, err := bank.TransInCompensate(wf.Context, credit)
			return err
		})
		if _, err := bank.TransIn(wf.Context, credit); err != nil {
			return nil, err
		}
		// Step 02: debit `from`; ABORTED (insufficient funds) rolls the workflow back.
		wf.NewBranch().OnRollback(func(*dtmcli.BranchBarrier) error {
			_, err := bank.TransOutCompensate(wf.Context, debit)
			return err
		})
		if _, err := bank.TransOut(wf.Context, debit); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]string{"moved": fmt.Sprintf("%d from %s to %s", t.Amount, t.From, t.To)})
	})
	if err == nil {
		err = registerResumed(bank)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// resumedName is a workflow whose first step is not ready on its first run (it answers ongoing):
// the run stops with the workflow unfinished, and Concord resumes it once it has made no progress
// for its timeout_to_fail (2 s here) by calling /workflow.Workflow/Execute on the bank's gRPC
// server, where workflow.InitGrpc registered dtm's resume handler. The function then runs again.
const resumedName = "go-dtmclients-resumed-transfer"

// runs counts the runs of resumedName per gid.
var runs = struct {
	sync.Mutex
	byGid map[string]int
}{byGid: map[string]int{}}

func registerResumed(bank bankv1.BankServiceClient) error {
	return workflow.Register2(resumedName, func(wf *workflow.Workflow, data []byte) ([]byte, error) {
		var t wfTransfer
		if err := json.Unmarshal(data, &t); err != nil {
			return nil, fmt.Errorf("bad input %q: %v: %w", data, err, dtmcli.ErrFailure)
		}
		runs.Lock()
		runs.byGid[wf.Gid]++
		run := runs.byGid[wf.Gid]
		runs.Unlock()
		// Step 01, local: ongoing on the first run, so nothing is recorded and the run stops.
		if _, err := wf.NewBranch().Do(func(*dtmcli.BranchBarrier) ([]byte, error) {
			if run == 1 {
				return nil, fmt.Errorf("not ready on the first run: %w", dtmcli.ErrOngoing)
			}
			return []byte("ready"), nil
		}); err != nil {
			return nil, err
		}
		credit := &bankv1.TransferRequest{Account: t.To, Amount: t.Amount}
		wf.NewBranch().OnRollback(func(*dtmcli.BranchBarrier) error {
			_, err := bank.TransInCompensate(wf.Context, credit)
			return err
		})
		if _, err := bank.TransIn(wf.Context, credit); err != nil {
			return nil, err
		}
		debit := &bankv1.TransferRequest{Account: t.From, Amount: t.Amount}
		wf.NewBranch().OnRollback(func(*dtmcli.BranchBarrier) error {
			_, err := bank.TransOutCompensate(wf.Context, debit)
			return err
		})
		_, err := bank.TransOut(wf.Context, debit)
		return nil, err
	}, func(wf *workflow.Workflow) {
		// Seconds without progress before Concord resumes it: enough for the check that it is
		// still unfinished after the first run.
		wf.TimeoutToFail = 2
	})
}

// grpcWorkflowSucceeds: (9) a workflow, alice pays bob 30: both steps succeed, Execute2 returns the
// function's result, and Concord has the workflow succeeded with both actions recorded.
func (c *checks) grpcWorkflowSucceeds() error {
	c.bank.open(opening)
	gid := c.gid("grpc-workflow")
	input, _ := json.Marshal(wfTransfer{From: "alice", To: "bob", Amount: 30})
	result, err := workflow.Execute2(workflowName, gid, input)
	if err != nil {
		return fmt.Errorf("execute %s: %w", gid, err)
	}
	if want := `{"moved":"30 from alice to bob"}`; string(result) != want {
		return fmt.Errorf("execute %s returned %q, want %q", gid, result, want)
	}
	v, err := c.expect(gid, "succeed", "succeed", "succeed")
	if err != nil {
		return err
	}
	if err := c.expectOps(v, "01/action", "02/action"); err != nil {
		return err
	}
	if v.Transaction.TransType != "workflow" {
		return fmt.Errorf("%s has trans_type %q, want workflow", gid, v.Transaction.TransType)
	}
	if err := c.bank.expect("after the workflow", moved); err != nil {
		return err
	}
	fmt.Printf("dtm workflow %s succeeded: alice=70 bob=30, result %s\n", gid, result)
	return nil
}

// grpcWorkflowRollsBack: (10) a workflow that credits bob 500, then debits alice 500, which she
// does not have: the debit answers ABORTED, the client compensates the credit (op rollback),
// finishes the workflow failed, and Execute2 returns the failure.
func (c *checks) grpcWorkflowRollsBack() error {
	c.bank.open(opening)
	gid := c.gid("grpc-workflow-rollback")
	input, _ := json.Marshal(wfTransfer{From: "alice", To: "bob", Amount: 500})
	_, err := workflow.Execute2(workflowName, gid, input)
	if err == nil {
		return fmt.Errorf("execute %s returned no error, want the failure", gid)
	}
	if !strings.Contains(err.Error(), "insufficient funds in alice") {
		return fmt.Errorf("execute %s: error %q does not carry the branch's failure", gid, err)
	}
	v, err2 := c.expect(gid, "failed", "succeed", "failed", "succeed")
	if err2 != nil {
		return err2
	}
	if err := c.expectOps(v, "01/action", "02/action", "01/rollback"); err != nil {
		return err
	}
	if !strings.Contains(v.Transaction.RollbackReason, "insufficient funds in alice") {
		return fmt.Errorf("%s has rollback_reason %q, want the branch's failure", gid, v.Transaction.RollbackReason)
	}
	if err := c.bank.expect("after the workflow's rollback", opening); err != nil {
		return err
	}
	fmt.Printf("dtm workflow %s rolled back, balances unchanged; Execute2 said: %v\n", gid, err)
	return nil
}

// grpcWorkflowResumed: (11) a workflow whose first run stops unfinished (Execute2 answers
// ongoing); Concord resumes it at the bank's gRPC server, where the second run finishes it.
func (c *checks) grpcWorkflowResumed() error {
	c.bank.open(opening)
	gid := c.gid("grpc-workflow-resumed")
	input, _ := json.Marshal(wfTransfer{From: "alice", To: "bob", Amount: 30})
	if _, err := workflow.Execute2(resumedName, gid, input); !errors.Is(err, dtmcli.ErrOngoing) {
		return fmt.Errorf("execute %s returned %v, want ongoing", gid, err)
	}
	if v, err := c.query(gid); err != nil {
		return err
	} else if v.Transaction.Status != "prepared" || len(v.Branches) != 0 {
		return fmt.Errorf("%s after its first run is %s with %d steps, want prepared with none", gid, v.Transaction.Status, len(v.Branches))
	}
	v, err := c.expect(gid, "succeed", "succeed", "succeed", "succeed") // polls while Concord resumes it
	if err != nil {
		return err
	}
	if err := c.expectOps(v, "01/action", "02/action", "03/action"); err != nil {
		return err
	}
	runs.Lock()
	n := runs.byGid[gid]
	runs.Unlock()
	// Only Concord calls it again; it may resume it more than once (again after the retry backoff
	// while it is still unfinished), and each run replays what was recorded.
	if n < 2 {
		return fmt.Errorf("%s ran %d times, want at least 2 (the first run, then Concord's resume)", gid, n)
	}
	if err := c.bank.expect("after the resumed workflow", moved); err != nil {
		return err
	}
	fmt.Printf("dtm workflow %s left unfinished, resumed by Concord and succeeded: alice=70 bob=30\n", gid)
	return nil
}

// expectOps checks the branches Concord recorded, as branch_id/op in dtm's order.
func (c *checks) expectOps(v *dtmView, ops ...string) error {
	var got []string
	for _, b := range v.Branches {
		got = append(got, b.BranchID+"/"+b.Op)
	}
	if strings.Join(got, " ") != strings.Join(ops, " ") {
		return fmt.Errorf("%s: branches are %v, want %v", v.Transaction.Gid, got, ops)
	}
	return nil
}
