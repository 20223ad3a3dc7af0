package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/dtm-labs/client/dtmcli"
	"github.com/dtm-labs/client/dtmgrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	bankv1 "concord.dev/examples/go/gen/bank/v1"
)

// effects says what each bank method does to the account named in the request, per unit of the
// amount: to its balance and to the part of it that is frozen (reserved by a TCC try). The same
// methods are served over HTTP (POST /bank/<method>) and gRPC (bank.v1.BankService/<method>).
var effects = map[string]struct{ balance, frozen int64 }{
	// saga (and msg, which only has actions)
	"TransOut":           {-1, 0},
	"TransOutCompensate": {+1, 0},
	"TransIn":            {+1, 0},
	"TransInCompensate":  {-1, 0},
	// tcc
	"TryTransOut":     {0, +1},
	"ConfirmTransOut": {-1, -1},
	"CancelTransOut":  {0, -1},
	"TryTransIn":      {0, 0},
	"ConfirmTransIn":  {+1, 0},
	"CancelTransIn":   {0, 0},
}

// undoes names the forward op that each undoing op reverses.
// A workflow's compensation comes with op rollback (its step's op is action).
var undoes = map[string]string{"compensate": "action", "cancel": "try", "rollback": "action"}

// bank is the branch service, in memory. Concord calls branches at least once, so every answer is
// remembered by gid/branch_id/op: a repeated call gets the same answer and changes nothing. Like
// dtm's barrier, it skips a compensation whose action never took effect (a "null compensation",
// e.g. compensating a TransOut that failed) and refuses an action after its compensation.
type bank struct {
	mu       sync.Mutex
	balances map[string]int64
	frozen   map[string]int64
	answers  map[string]error // gid/branch_id/op → the answer given (nil: success)
}

func newBank() *bank {
	return &bank{balances: map[string]int64{}, frozen: map[string]int64{}, answers: map[string]error{}}
}

// open sets the accounts' balances and unfreezes them: each scenario starts from a known state.
func (b *bank) open(balances map[string]int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for account, balance := range balances {
		b.balances[account], b.frozen[account] = balance, 0
	}
}

// expect checks the balances (and that nothing stays frozen).
func (b *bank) expect(when string, want map[string]int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for account, balance := range want {
		if b.balances[account] != balance || b.frozen[account] != 0 {
			return fmt.Errorf("%s: %s has %d (%d frozen), want %d (0 frozen)", when, account, b.balances[account], b.frozen[account], balance)
		}
	}
	return nil
}

// apply runs one branch call: method's effect on account, times amount. A business "no" is an
// error wrapping dtmcli.ErrFailure.
func (b *bank) apply(call *dtmcli.BranchBarrier, method, account string, amount int64) error {
	effect, ok := effects[method]
	if !ok {
		return fmt.Errorf("no bank method %q", method)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	key := func(op string) string { return call.Gid + "/" + call.BranchID + "/" + op }
	if answer, repeated := b.answers[key(call.Op)]; repeated {
		return answer
	}
	var answer error
	if forward, isUndo := undoes[call.Op]; isUndo {
		if done, ran := b.answers[key(forward)]; ran && done == nil {
			answer = b.change(account, effect.balance*amount, effect.frozen*amount)
		} // else a null compensation: nothing to undo, success
	} else if _, undone := b.answers[key("compensate")]; undone {
		answer = fmt.Errorf("%s %s: already rolled back: %w", call.Gid, call.BranchID, dtmcli.ErrFailure)
	} else if _, undone := b.answers[key("cancel")]; undone {
		answer = fmt.Errorf("%s %s: already cancelled: %w", call.Gid, call.BranchID, dtmcli.ErrFailure)
	} else {
		answer = b.change(account, effect.balance*amount, effect.frozen*amount)
	}
	b.answers[key(call.Op)] = answer
	return answer
}

// change adds to an account's balance and frozen part, unless that leaves less than is frozen.
func (b *bank) change(account string, dBalance, dFrozen int64) error {
	balance, frozen := b.balances[account]+dBalance, b.frozen[account]+dFrozen
	if balance < frozen || frozen < 0 {
		return fmt.Errorf("insufficient funds in %s: %w", account, dtmcli.ErrFailure)
	}
	b.balances[account], b.frozen[account] = balance, frozen
	return nil
}

// transfer is the JSON body of every HTTP branch call.
type transfer struct {
	Account string `json:"account"`
	Amount  int64  `json:"amount"`
}

// httpHandler serves dtm's HTTP branch protocol: the JSON payload as the body, the branch's
// identity in the query (gid, trans_type, branch_id, op); 200 is success, 409 with FAILURE a
// business "no". QueryPrepared is the msg back-check: the local transaction did commit.
func (b *bank) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/bank/QueryPrepared", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"dtm_result": dtmcli.ResultSuccess})
	})
	mux.HandleFunc("/bank/{method}", func(w http.ResponseWriter, r *http.Request) {
		call, err := dtmcli.BarrierFromQuery(r.URL.Query())
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		var t transfer
		if err := json.NewDecoder(r.Body).Decode(&t); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		switch err := b.apply(call, r.PathValue("method"), t.Account, t.Amount); {
		case err == nil:
			writeJSON(w, http.StatusOK, map[string]string{"dtm_result": dtmcli.ResultSuccess})
		case errors.Is(err, dtmcli.ErrFailure):
			writeJSON(w, http.StatusConflict, map[string]string{"dtm_result": dtmcli.ResultFailure, "message": err.Error()})
		default:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		}
	})
	return mux
}

func writeJSON(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// grpcBank serves the same bank as bank.v1.BankService: the payload is a TransferRequest, the
// branch's identity is in the dtm-* metadata, and a business "no" is the status ABORTED.
type grpcBank struct {
	bankv1.UnimplementedBankServiceServer
	bank *bank
}

func (g grpcBank) call(ctx context.Context, method string, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	call, err := dtmgrpc.BarrierFromGrpc(ctx)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "not a dtm branch call: %v", err)
	}
	if err := g.bank.apply(call, method, r.Account, r.Amount); err != nil {
		return nil, dtmgrpc.DtmError2GrpcError(err)
	}
	return &bankv1.TransferResponse{}, nil
}

func (g grpcBank) TransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "TransOut", r)
}

func (g grpcBank) TransOutCompensate(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "TransOutCompensate", r)
}

func (g grpcBank) TransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "TransIn", r)
}

func (g grpcBank) TransInCompensate(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "TransInCompensate", r)
}

func (g grpcBank) TryTransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "TryTransOut", r)
}

func (g grpcBank) ConfirmTransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "ConfirmTransOut", r)
}

func (g grpcBank) CancelTransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "CancelTransOut", r)
}

func (g grpcBank) TryTransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "TryTransIn", r)
}

func (g grpcBank) ConfirmTransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "ConfirmTransIn", r)
}

func (g grpcBank) CancelTransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return g.call(ctx, "CancelTransIn", r)
}
