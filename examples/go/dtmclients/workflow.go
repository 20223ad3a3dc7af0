package main

import (
	"encoding/json"
	"fmt"
	"strings"

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
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
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
