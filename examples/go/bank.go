package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dtm-labs/client/dtmcli"
	"github.com/dtm-labs/client/dtmgrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	bankv1 "concord.dev/examples/go/gen/bank/v1"
)

// bank is the example branch service, its balances in Postgres. Every handler runs inside dtm's
// own sub-transaction barrier (github.com/dtm-labs/client, unchanged): BarrierFromGrpc reads the
// dtm-* metadata Concord sends, and CallWithDB makes the call idempotent and rejects null
// compensations and hanging tries, in the same local transaction as the balance change.
type bank struct {
	bankv1.UnimplementedBankServiceServer
	db *sql.DB
}

// schema: dtm's Postgres barrier table (dtm's sqls/dtmcli.barrier.postgres.sql) and the accounts.
const schema = `
create schema if not exists dtm_barrier;
create table if not exists dtm_barrier.barrier (
  id bigserial primary key,
  trans_type varchar(45) default '',
  gid varchar(128) default '',
  branch_id varchar(128) default '',
  op varchar(45) default '',
  barrier_id varchar(45) default '',
  reason varchar(45) default '',
  create_time timestamp(0) with time zone default null,
  update_time timestamp(0) with time zone default null,
  constraint uniq_barrier unique (gid, branch_id, op, barrier_id)
);
create schema if not exists bank;
create table if not exists bank.accounts (
  account text primary key,
  balance bigint not null,
  frozen bigint not null default 0
);`

func openBank(ctx context.Context, databaseURL string, opening map[string]int64) (*bank, error) {
	dtmcli.SetCurrentDBType("postgres")
	dtmcli.SetBarrierTableName("dtm_barrier.barrier")
	db, err := sql.Open("postgres", databaseURL)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("bank schema: %w", err)
	}
	for account, balance := range opening {
		if _, err := db.ExecContext(ctx, `insert into bank.accounts (account, balance) values ($1, $2)
			on conflict (account) do update set balance = excluded.balance, frozen = 0`, account, balance); err != nil {
			db.Close()
			return nil, err
		}
	}
	return &bank{db: db}, nil
}

func (b *bank) balance(ctx context.Context, account string) (balance, frozen int64, err error) {
	err = b.db.QueryRowContext(ctx, `select balance, frozen from bank.accounts where account = $1`, account).Scan(&balance, &frozen)
	return
}

// change runs one balance change under the barrier; a dtmcli.ErrFailure becomes ABORTED.
func (b *bank) change(ctx context.Context, apply func(tx *sql.Tx) error) (*bankv1.TransferResponse, error) {
	barrier, err := dtmgrpc.BarrierFromGrpc(ctx)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "not a Concord branch call: %v", err)
	}
	if err := barrier.CallWithDB(b.db, apply); err != nil {
		return nil, dtmgrpc.DtmError2GrpcError(err)
	}
	return &bankv1.TransferResponse{}, nil
}

// update applies balance += dBalance, frozen += dFrozen unless that leaves less than is frozen
// (or freezes more than there is): then the business says no.
func update(account string, dBalance, dFrozen int64) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		res, err := tx.Exec(`update bank.accounts set balance = balance + $2, frozen = frozen + $3
			where account = $1 and balance + $2 >= frozen + $3 and frozen + $3 >= 0`, account, dBalance, dFrozen)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("insufficient funds in %s: %w", account, dtmcli.ErrFailure)
		}
		return nil
	}
}

func noop(*sql.Tx) error { return nil }

func (b *bank) TransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, -r.Amount, 0))
}

func (b *bank) TransOutCompensate(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, r.Amount, 0))
}

func (b *bank) TransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, r.Amount, 0))
}

func (b *bank) TransInCompensate(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, -r.Amount, 0))
}

func (b *bank) TryTransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, 0, r.Amount))
}

func (b *bank) ConfirmTransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, -r.Amount, -r.Amount))
}

func (b *bank) CancelTransOut(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, 0, -r.Amount))
}

func (b *bank) TryTransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, noop)
}

func (b *bank) ConfirmTransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, update(r.Account, r.Amount, 0))
}

func (b *bank) CancelTransIn(ctx context.Context, r *bankv1.TransferRequest) (*bankv1.TransferResponse, error) {
	return b.change(ctx, noop)
}
