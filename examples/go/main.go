// Command bank-example starts the example bank, then drives three global transactions through
// Concord's generated Go client: a saga that succeeds, a saga that rolls back, and a TCC. It exits
// 0 when every check holds.
//
//	go run . -coordinator localhost:36790 -port 50052 -database-url 'postgres://…?sslmode=disable'
//
// Flags fall back to CONCORD_ADDRESS, BANK_PORT (0 picks a free port) and BANK_DATABASE_URL (a
// Postgres database for the balances and dtm's barrier table, created if absent; lib/pq asks for
// TLS unless the URL says sslmode=disable).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	_ "github.com/lib/pq"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	bankv1 "concord.dev/examples/go/gen/bank/v1"
	concordv1 "concord.dev/gen/go/concord/v1"
)

const service = "bank.v1.BankService"

func main() {
	coordinator := flag.String("coordinator", envOr("CONCORD_ADDRESS", "localhost:36790"), "Concord's gRPC address")
	port := flag.Int("port", envInt("BANK_PORT", 50052), "port the bank listens on, on 127.0.0.1 (0: any free port)")
	databaseURL := flag.String("database-url", os.Getenv("BANK_DATABASE_URL"), "Postgres URL for the bank's balances and barrier table")
	flag.Parse()
	if err := run(*coordinator, *port, *databaseURL); err != nil {
		fmt.Fprintln(os.Stderr, "go example FAILED:", err)
		os.Exit(1)
	}
	fmt.Println("go example: all checks passed")
}

func run(coordinator string, port int, databaseURL string) error {
	if databaseURL == "" {
		return errors.New("no database: pass -database-url or set BANK_DATABASE_URL (the bank keeps its balances and dtm's barrier table in Postgres)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	b, err := openBank(ctx, databaseURL, map[string]int64{"alice": 100, "bob": 0, "carol": 0})
	if err != nil {
		return err
	}
	defer b.db.Close()
	lis, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return err
	}
	server := grpc.NewServer()
	bankv1.RegisterBankServiceServer(server, b)
	go func() { _ = server.Serve(lis) }()
	defer server.Stop()

	conn, err := grpc.NewClient(coordinator, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	bankConn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer bankConn.Close()

	ex := &example{
		concord:     concordv1.NewCoordinatorServiceClient(conn),
		bankClient:  bankv1.NewBankServiceClient(bankConn),
		bank:        b,
		bankAddress: lis.Addr().String(),
		coordinator: coordinator,
	}
	for _, scenario := range []func(context.Context) error{ex.sagaSucceeds, ex.sagaRollsBack, ex.tccSucceeds} {
		if err := scenario(ctx); err != nil {
			return err
		}
	}
	return nil
}

type example struct {
	concord     concordv1.CoordinatorServiceClient
	bankClient  bankv1.BankServiceClient
	bank        *bank
	bankAddress string
	coordinator string
}

// sagaSucceeds: (1) alice pays bob 30 in a saga: SUCCEEDED, balances moved.
func (ex *example) sagaSucceeds(ctx context.Context) error {
	tx, err := ex.submitSaga(ctx, ex.transfer("alice", "bob", 30))
	if err != nil {
		return err
	}
	if tx.Status != concordv1.TransactionStatus_TRANSACTION_STATUS_SUCCEEDED {
		return fmt.Errorf("saga %s is %s, want SUCCEEDED", tx.Gid, tx.Status)
	}
	if err := ex.checkBalances(ctx, "after the saga", 70, 30, 0); err != nil {
		return err
	}
	fmt.Printf("saga %s succeeded: alice=70 bob=30\n", tx.Gid)
	return nil
}

// sagaRollsBack: (2) alice pays bob 30 and bob pays carol 500, which bob cannot: ABORTED, so every
// step that ran is compensated (03's compensation is a null compensation the barrier skips).
func (ex *example) sagaRollsBack(ctx context.Context) error {
	tx, err := ex.submitSaga(ctx, append(ex.transfer("alice", "bob", 30), ex.transfer("bob", "carol", 500)...))
	if err != nil {
		return err
	}
	if tx.Status != concordv1.TransactionStatus_TRANSACTION_STATUS_FAILED || tx.RollbackReason == "" {
		return fmt.Errorf("saga %s is %s (rollback reason %q), want FAILED with a reason", tx.Gid, tx.Status, tx.RollbackReason)
	}
	if s := branchStatus(tx, "03", concordv1.BranchOp_BRANCH_OP_ACTION); s != concordv1.BranchStatus_BRANCH_STATUS_FAILED {
		return fmt.Errorf("action 03 (bob pays 500) is %s, want FAILED", s)
	}
	for _, id := range []string{"01", "02", "03"} {
		if s := branchStatus(tx, id, concordv1.BranchOp_BRANCH_OP_COMPENSATE); s != concordv1.BranchStatus_BRANCH_STATUS_SUCCEEDED {
			return fmt.Errorf("compensation %s is %s, want SUCCEEDED", id, s)
		}
	}
	if s := branchStatus(tx, "04", concordv1.BranchOp_BRANCH_OP_ACTION); s == concordv1.BranchStatus_BRANCH_STATUS_SUCCEEDED {
		return errors.New("action 04 ran after the failure")
	}
	if err := ex.checkBalances(ctx, "after the rollback", 70, 30, 0); err != nil {
		return err
	}
	fmt.Printf("saga %s rolled back (%s): balances unchanged\n", tx.Gid, tx.RollbackReason)
	return nil
}

// tccSucceeds: (3) TCC, alice pays bob 25. The client registers each branch and calls its try
// itself; Submit makes Concord confirm both.
func (ex *example) tccSucceeds(ctx context.Context) error {
	gid, err := ex.newGid(ctx)
	if err != nil {
		return err
	}
	if _, err := ex.concord.Prepare(ctx, &concordv1.PrepareRequest{Gid: gid, Mode: concordv1.Mode_MODE_TCC}); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	branches := []struct {
		id, method string
		try        func(context.Context, *bankv1.TransferRequest, ...grpc.CallOption) (*bankv1.TransferResponse, error)
		request    *bankv1.TransferRequest
	}{
		{"01", "TransOut", ex.bankClient.TryTransOut, &bankv1.TransferRequest{Account: "alice", Amount: 25}},
		{"02", "TransIn", ex.bankClient.TryTransIn, &bankv1.TransferRequest{Account: "bob", Amount: 25}},
	}
	for _, br := range branches {
		payload, err := proto.Marshal(br.request)
		if err != nil {
			return err
		}
		if _, err := ex.concord.RegisterBranch(ctx, &concordv1.RegisterBranchRequest{
			Gid:      gid,
			BranchId: br.id,
			Branch:   &concordv1.RegisterBranchRequest_Tcc{Tcc: &concordv1.TccBranch{Confirm: ex.target("Confirm" + br.method), Cancel: ex.target("Cancel" + br.method)}},
			Payload:  payload,
		}); err != nil {
			return fmt.Errorf("register branch %s: %w", br.id, err)
		}
		md := metadata.Pairs("dtm-gid", gid, "dtm-trans_type", "tcc", "dtm-branch_id", br.id, "dtm-op", "try", "dtm-dtm", ex.coordinator)
		if _, err := br.try(metadata.NewOutgoingContext(ctx, md), br.request); err != nil {
			return fmt.Errorf("try %s: %w", br.id, err)
		}
	}
	res, err := ex.concord.Submit(ctx, &concordv1.SubmitRequest{Gid: gid, Mode: concordv1.Mode_MODE_TCC, Options: &concordv1.TransOptions{WaitResult: true}})
	if err != nil {
		return fmt.Errorf("submit tcc: %w", err)
	}
	if s := res.Transaction.GetStatus(); s != concordv1.TransactionStatus_TRANSACTION_STATUS_SUCCEEDED {
		return fmt.Errorf("tcc %s is %s, want SUCCEEDED", gid, s)
	}
	if err := ex.checkBalances(ctx, "after the tcc", 45, 55, 0); err != nil {
		return err
	}
	fmt.Printf("tcc %s confirmed: alice=45 bob=55\n", gid)
	return nil
}

func (ex *example) newGid(ctx context.Context) (string, error) {
	res, err := ex.concord.NewGid(ctx, &concordv1.NewGidRequest{})
	if err != nil {
		return "", fmt.Errorf("new gid: %w", err)
	}
	return res.Gid, nil
}

func (ex *example) submitSaga(ctx context.Context, steps []*concordv1.SagaStep) (*concordv1.Transaction, error) {
	gid, err := ex.newGid(ctx)
	if err != nil {
		return nil, err
	}
	res, err := ex.concord.Submit(ctx, &concordv1.SubmitRequest{
		Gid:     gid,
		Mode:    concordv1.Mode_MODE_SAGA,
		Options: &concordv1.TransOptions{WaitResult: true},
		Spec:    &concordv1.SubmitRequest_Saga{Saga: &concordv1.SagaSpec{Steps: steps}},
	})
	if err != nil {
		return nil, fmt.Errorf("submit saga %s: %w", gid, err)
	}
	return res.Transaction, nil
}

// transfer is two saga steps: TransOut from `from`, TransIn to `to`, each with its compensation.
func (ex *example) transfer(from, to string, amount int64) []*concordv1.SagaStep {
	out, _ := proto.Marshal(&bankv1.TransferRequest{Account: from, Amount: amount})
	in, _ := proto.Marshal(&bankv1.TransferRequest{Account: to, Amount: amount})
	return []*concordv1.SagaStep{
		{Action: ex.target("TransOut"), Compensate: ex.target("TransOutCompensate"), Payload: out},
		{Action: ex.target("TransIn"), Compensate: ex.target("TransInCompensate"), Payload: in},
	}
}

func (ex *example) target(method string) string {
	return ex.bankAddress + "/" + service + "/" + method
}

func (ex *example) checkBalances(ctx context.Context, when string, want ...int64) error {
	for i, account := range []string{"alice", "bob", "carol"} {
		balance, frozen, err := ex.bank.balance(ctx, account)
		if err != nil {
			return err
		}
		if balance != want[i] || frozen != 0 {
			return fmt.Errorf("%s: %s has %d (%d frozen), want %d (0 frozen)", when, account, balance, frozen, want[i])
		}
	}
	return nil
}

func branchStatus(tx *concordv1.Transaction, branchID string, op concordv1.BranchOp) concordv1.BranchStatus {
	for _, b := range tx.Branches {
		if b.BranchId == branchID && b.Op == op {
			return b.Status
		}
	}
	return concordv1.BranchStatus_BRANCH_STATUS_UNSPECIFIED
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func envInt(key string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return fallback
}
