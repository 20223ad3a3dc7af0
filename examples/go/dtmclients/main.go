// Command dtmclients shows dtm's own Go SDKs, unchanged, driving Concord: dtmcli (dtm's HTTP API)
// and dtmgrpc (dtm's gRPC API) run sagas, a msg and TCCs, and dtm's workflow client (workflow.go)
// runs a workflow and a rolled-back one, against Concord exactly as they would against a dtm v1.19
// server. The program serves its own in-memory bank as branch services (HTTP
// and gRPC), then checks each transaction's outcome both in the bank's balances and in Concord's
// view of it (dtm's GET /query). It exits 0 when every check holds.
//
//	go run ./dtmclients -dtm-http http://localhost:36789/api/dtmsvr -dtm-grpc localhost:36790
//
// Flags fall back to DTM_HTTP_SERVER, DTM_GRPC_SERVER and BANK_PORT. The bank listens on
// 127.0.0.1: HTTP on -port and gRPC on -port+1, or on two free ports when -port is 0. Set
// LOG_LEVEL (debug, info, warn, error) to see dtm's client logs, on stderr.
//
// With CONCORD_TOKEN set (a Concord started with --tokens-file), every call to Concord carries
// `authorization: Bearer <token>`: dtm's SDKs have no setting for it, but dtmcli runs the HTTP
// middlewares of dtmdriver and dtmgrpc the unary interceptors given to AddUnaryInterceptor, so
// useToken adds the header there, for calls to Concord only (a TCC's branch calls go out through
// the same clients and must not carry Concord's token).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dtm-labs/client/dtmcli/logger"
	"github.com/dtm-labs/client/dtmgrpc"
	"github.com/dtm-labs/dtmdriver"
	"github.com/go-resty/resty/v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	bankv1 "concord.dev/examples/go/gen/bank/v1"
)

func main() {
	dtmHTTP := flag.String("dtm-http", envOr("DTM_HTTP_SERVER", "http://localhost:36789/api/dtmsvr"), "Concord's dtm HTTP API (dtmcli's server)")
	dtmGrpc := flag.String("dtm-grpc", envOr("DTM_GRPC_SERVER", "localhost:36790"), "Concord's gRPC address (dtmgrpc's server)")
	port := flag.Int("port", envInt("BANK_PORT", 0), "the bank's HTTP port on 127.0.0.1, gRPC on port+1 (0: two free ports)")
	flag.Parse()
	logger.InitLog2(envOr("LOG_LEVEL", "fatal"), "stderr", 0, "")
	token := os.Getenv("CONCORD_TOKEN")
	if token != "" {
		useToken(token, *dtmHTTP)
	}
	// dtmcli and dtmgrpc wait on Concord without a deadline: bound the whole run.
	time.AfterFunc(time.Minute, func() { fail(fmt.Errorf("not done after a minute")) })
	if err := run(*dtmHTTP, *dtmGrpc, *port); err != nil {
		fail(err)
	}
	fmt.Println("go dtm clients: all checks passed")
}

// useToken sends token with every call dtmcli (HTTP) and dtmgrpc (gRPC) make to Concord.
func useToken(token, dtmHTTP string) {
	dtmdriver.Middlewares.HTTP = append(dtmdriver.Middlewares.HTTP, func(_ *resty.Client, r *resty.Request) error {
		if strings.HasPrefix(r.URL, dtmHTTP) {
			r.SetHeader("Authorization", "Bearer "+token)
		}
		return nil
	})
	dtmgrpc.AddUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if strings.HasPrefix(method, "/dtmgimp.Dtm/") {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	})
	queryToken = token
}

// queryToken goes with the example's own GET /query calls.
var queryToken string

func fail(err error) {
	fmt.Fprintln(os.Stderr, "go dtm clients FAILED:", err)
	os.Exit(1)
}

func run(dtmHTTP, dtmGrpc string, port int) error {
	httpLis, grpcLis, err := listen(port)
	if err != nil {
		return err
	}
	b := newBank()
	httpServer := &http.Server{Handler: b.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpServer.Serve(httpLis) }()
	defer httpServer.Close()
	grpcServer := grpc.NewServer()
	bankv1.RegisterBankServiceServer(grpcServer, grpcBank{bank: b})
	bankConn, err := initWorkflow(dtmGrpc, grpcServer, grpcLis.Addr().String())
	if err != nil {
		return err
	}
	defer bankConn.Close()
	go func() { _ = grpcServer.Serve(grpcLis) }()
	defer grpcServer.Stop()

	c := &checks{
		dtmHTTP:  dtmHTTP,
		dtmGrpc:  dtmGrpc,
		bankHTTP: "http://" + httpLis.Addr().String() + "/bank",
		bankGrpc: grpcLis.Addr().String() + "/bank.v1.BankService",
		bank:     b,
		run:      strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	for _, scenario := range []struct {
		name  string
		check func() error
	}{
		{"dtmcli saga", c.httpSagaSucceeds},
		{"dtmcli saga rolled back", c.httpSagaRollsBack},
		{"dtmcli msg", c.httpMsg},
		{"dtmcli tcc", c.httpTcc},
		{"dtmgrpc saga", c.grpcSagaSucceeds},
		{"dtmgrpc saga rolled back", c.grpcSagaRollsBack},
		{"dtmgrpc tcc", c.grpcTcc},
		{"new gids", c.newGids},
		{"dtm workflow", c.grpcWorkflowSucceeds},
		{"dtm workflow rolled back", c.grpcWorkflowRollsBack},
		{"dtm workflow resumed", c.grpcWorkflowResumed},
	} {
		if err := scenario.check(); err != nil {
			return fmt.Errorf("%s: %w", scenario.name, err)
		}
	}
	fmt.Println("go workflow: all checks passed")
	return nil
}

// listen opens the bank's HTTP and gRPC listeners: port and port+1, or two free ports.
func listen(port int) (httpLis, grpcLis net.Listener, err error) {
	grpcPort := port + 1
	if port == 0 {
		grpcPort = 0
	}
	if httpLis, err = net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err != nil {
		return nil, nil, err
	}
	if grpcLis, err = net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", grpcPort)); err != nil {
		httpLis.Close()
		return nil, nil, err
	}
	return httpLis, grpcLis, nil
}

// checks holds what the scenarios (scenarios.go) need.
type checks struct {
	dtmHTTP, dtmGrpc   string // Concord, as dtmcli and dtmgrpc are told
	bankHTTP, bankGrpc string // the bank's branch URLs, without the method
	bank               *bank
	run                string // makes this run's gids unique
}

func (c *checks) gid(name string) string { return "go-dtmclients-" + name + "-" + c.run }

// dtmView is dtm's answer to GET /query?gid=: the transaction and its branches, in dtm's order.
type dtmView struct {
	Transaction *struct {
		Gid            string `json:"gid"`
		TransType      string `json:"trans_type"`
		Status         string `json:"status"`
		RollbackReason string `json:"rollback_reason"`
	} `json:"transaction"`
	Branches []struct {
		BranchID string `json:"branch_id"`
		Op       string `json:"op"`
		Status   string `json:"status"`
	} `json:"branches"`
}

// query asks Concord, through dtm's HTTP API, how a transaction stands.
func (c *checks) query(gid string) (*dtmView, error) {
	req, err := http.NewRequest(http.MethodGet, c.dtmHTTP+"/query?gid="+url.QueryEscape(gid), nil)
	if err != nil {
		return nil, err
	}
	if queryToken != "" {
		req.Header.Set("Authorization", "Bearer "+queryToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var v dtmView
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return nil, fmt.Errorf("query %s: HTTP %d: %w", gid, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || v.Transaction == nil {
		return nil, fmt.Errorf("query %s: HTTP %d, no transaction", gid, resp.StatusCode)
	}
	return &v, nil
}

// expect checks Concord's view of gid: its status and its branches' statuses, in dtm's order.
// Until the transaction ends it polls (for at most 15 s), since msg and tcc end after Submit.
func (c *checks) expect(gid, status string, branches ...string) (*dtmView, error) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		v, err := c.query(gid)
		if err != nil {
			return nil, err
		}
		got := v.Transaction.Status
		ended := got == "succeed" || got == "failed"
		if ended || time.Now().After(deadline) {
			if got != status {
				return nil, fmt.Errorf("%s is %s, want %s", gid, got, status)
			}
			var statuses []string
			for _, b := range v.Branches {
				statuses = append(statuses, b.Status)
			}
			if !slices.Equal(statuses, branches) {
				return nil, fmt.Errorf("%s: branches are %v, want %v", gid, statuses, branches)
			}
			return v, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
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
