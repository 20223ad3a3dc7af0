// Concord's shim for running dtm's own test suite (package test of the dtm module, v1.19.0)
// against a dtm-compatible server OUTSIDE the test process, through its public API only.
//
// tools/dtm-suite.sh copies this file into a temporary working copy of the dtm module, next to
// dtm's test files, after renaming (with sed) the upstream definitions that reach into the
// in-process dtm server: TestMain (main_test.go), waitTransProcessed, cronTransOnce,
// cronTransOnceForwardNow, cronTransOnceForwardCron, submitForwardCron (types.go), getTransStatus,
// getTrans, getBranchesStatus (dtmsvr_test.go). The renamed originals stay in place, unused. This
// file defines those names again over the HTTP API (GET /query, POST /resetNextCronTime):
//
//   - TestMain starts only busi (the suite's business service) and prepares its database; the
//     server under test is already listening at dtmutil.DefaultHTTPServer / DefaultGrpcServer.
//   - waitTransProcessed(gid) ("the pass that started just now has ended") polls GET /query until
//     the transaction is finished (succeed/failed) or its query output has not changed for
//     DTM_SUITE_QUIET_MS. It never fails by itself: the assertions after it judge the state.
//   - cronTransOnce(t, gid) ("run the next pass now") posts resetNextCronTime, waits for the
//     server's own cron to claim the transaction (its `owner` changes on every claim), then waits
//     for the pass as above. With gid "" (upstream: "expect nothing due") it does nothing.
//   - The upstream helpers that move the server's clock forward become real waiting:
//     cronTransOnceForwardNow(t, gid, s) waits until the transaction's timeout has really passed
//     when s covers it (timeout_to_fail of the transaction, else the server's default,
//     DTM_SUITE_TIMEOUT_TO_FAIL, for non-sagas); cronTransOnceForwardCron(t, gid, s) waits out a
//     msg's {"delay":N} when s covers it. Tests that would wait minutes are skipped by the script.
//   - getTrans/getTransStatus/getBranchesStatus read GET /query. They never return nil, so a
//     server that does not answer fails the test instead of crashing the test binary.
package test

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dtm-labs/dtm/client/dtmcli"
	"github.com/dtm-labs/dtm/client/workflow"
	"github.com/dtm-labs/dtm/dtmsvr"
	"github.com/dtm-labs/dtm/dtmsvr/config"
	"github.com/dtm-labs/dtm/dtmutil"
	"github.com/dtm-labs/dtm/test/busi"
	"github.com/dtm-labs/dtmdriver"
	"github.com/dtm-labs/logger"
)

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			logger.FatalfIf(true, "%s: not an integer: %q", name, v)
		}
		return n
	}
	return def
}

var (
	// The server's default TimeoutToFail (seconds), for transactions that set none.
	serverTimeoutToFail = time.Duration(envInt("DTM_SUITE_TIMEOUT_TO_FAIL", 10)) * time.Second
	// How long the query output must stay unchanged for a pass to count as over.
	passQuiet = time.Duration(envInt("DTM_SUITE_QUIET_MS", 1000)) * time.Millisecond
	// How long a pass may take to settle, and how long the server's cron may take to claim.
	settleTimeout = time.Duration(envInt("DTM_SUITE_SETTLE_TIMEOUT", 30)) * time.Second
	claimTimeout  = time.Duration(envInt("DTM_SUITE_CLAIM_TIMEOUT", 20)) * time.Second
)

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		os.Exit(m.Run()) // listing the tests needs no database and no busi
	}
	config.MustLoadConfig("")
	logger.InitLog(envString("DTM_SUITE_LOG_LEVEL", "info"))
	// The store the server under test uses; the suite only reads it to pick SQL-store code paths.
	conf.Store.Driver = config.Postgres
	conf.Store.Host = envString("DTM_SUITE_PG_HOST", "localhost")
	conf.Store.Port = int64(envInt("DTM_SUITE_PG_PORT", 5432))
	conf.Store.User = envString("DTM_SUITE_PG_USER", "postgres")
	conf.Store.Password = os.Getenv("DTM_SUITE_PG_PASSWORD")
	conf.Store.Db = envString("DTM_SUITE_PG_DB", "dtm")
	busi.BusiConf = conf.Store.GetDBConf()
	dtmcli.SetCurrentDBType(config.Postgres)

	dtmdriver.Middlewares.HTTP = append(dtmdriver.Middlewares.HTTP, busi.SetHTTPHeaderForHeadersYes)
	dtmdriver.Middlewares.Grpc = append(dtmdriver.Middlewares.Grpc, busi.SetGrpcHeaderForHeadersYes)

	// busi.PopulateDB less its Redis and Mongo parts (the tests that need those are skipped).
	for _, script := range []string{"busi", "dtmcli.barrier", "dtmsvr.storage"} {
		dtmutil.RunSQLScript(busi.BusiConf, fmt.Sprintf("%s/%s.%s.sql", dtmutil.GetSQLDir(), script, config.Postgres), false)
	}
	hsvr, gsvr := busi.Startup()
	workflow.InitHTTP(dtmutil.DefaultHTTPServer, Busi+"/workflow/resume")
	workflow.InitGrpc(dtmutil.DefaultGrpcServer, busi.BusiGrpc, gsvr)
	go busi.RunGrpc(gsvr)
	go busi.RunHTTP(hsvr)
	waitBusiUp()

	// Upstream panics when these fail; here a server without topics just fails the topic tests.
	for name, subscribe := range map[string]func(){"http": subscribeTopic, "grpc": subscribeGrpcTopic} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					logger.Warnf("dtm-suite: subscribing the %s test topic failed: %v", name, r)
				}
			}()
			subscribe()
		}()
	}
	// Upstream refreshes the in-process server's topic map here; the server under test does it
	// on its own every ConfigUpdateInterval (1 s in the configuration the script gives dtm).
	time.Sleep(time.Duration(envInt("DTM_SUITE_TOPIC_WAIT_MS", 2000)) * time.Millisecond)
	logger.Infof("dtm-suite: busi up, testing the server at %s and %s", dtmutil.DefaultHTTPServer, dtmutil.DefaultGrpcServer)
	os.Exit(m.Run())
}

func waitBusiUp() {
	for i := 0; i < 100; i++ {
		resp, err := http.Get(fmt.Sprintf("http://localhost:%d/api/ping", busi.BusiPort))
		if err == nil {
			_ = resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	logger.FatalfIf(true, "dtm-suite: busi did not start on port %d", busi.BusiPort)
}

type queryReply struct {
	Transaction *dtmsvr.TransGlobal  `json:"transaction"`
	Branches    []dtmsvr.TransBranch `json:"branches"`
}

var queryClient = &http.Client{Timeout: 10 * time.Second}

// queryTrans is GET /query?gid=: the reply, its body (to compare snapshots) or an error.
func queryTrans(gid string) (*queryReply, string, error) {
	resp, err := queryClient.Get(DtmServer + "/query?gid=" + url.QueryEscape(gid))
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET /query: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	reply := &queryReply{}
	if err := json.Unmarshal(body, reply); err != nil {
		return nil, "", fmt.Errorf("GET /query: unexpected reply %q: %w", body, err)
	}
	return reply, string(body), nil
}

func isFinished(status string) bool {
	return status == StatusSucceed || status == StatusFailed
}

func getTransStatus(gid string) string {
	return getTrans(gid).Status
}

func getTrans(gid string) *dtmsvr.TransGlobal {
	reply, _, err := queryTrans(gid)
	if err != nil {
		logger.Warnf("dtm-suite: query %s: %v", gid, err)
		return &dtmsvr.TransGlobal{}
	}
	if reply.Transaction == nil {
		return &dtmsvr.TransGlobal{}
	}
	return reply.Transaction
}

func getBranchesStatus(gid string) []string {
	status := []string{}
	reply, _, err := queryTrans(gid)
	if err != nil {
		logger.Warnf("dtm-suite: query %s: %v", gid, err)
		return status
	}
	for _, branch := range reply.Branches {
		status = append(status, branch.Status)
	}
	return status
}

// waitSettled waits for the pass under way to end: the transaction is finished, or its query
// output has stayed the same for passQuiet.
func waitSettled(gid string) error {
	start := time.Now()
	last, lastChange := "", start
	for {
		reply, body, err := queryTrans(gid)
		if err != nil {
			return err
		}
		now := time.Now()
		if reply.Transaction == nil {
			if now.Sub(start) > 5*time.Second {
				return fmt.Errorf("no transaction %s", gid)
			}
		} else if isFinished(reply.Transaction.Status) {
			return nil
		} else if body != last {
			last, lastChange = body, now
		} else if now.Sub(lastChange) >= passQuiet {
			return nil
		}
		if now.Sub(start) > settleTimeout {
			return fmt.Errorf("transaction %s still changing after %v", gid, settleTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitTransProcessed(gid string) {
	logger.Debugf("dtm-suite: waiting for the pass of %s", gid)
	if err := waitSettled(gid); err != nil {
		logger.Warnf("dtm-suite: waitTransProcessed(%s): %v", gid, err)
	}
}

// runPass makes the server run its next pass of gid now and waits for it to end. owner is the
// transaction's owner before whatever waiting the caller did: if it has changed, the server's
// own cron has claimed the transaction meanwhile, and that pass is the one.
func runPass(gid string, owner string) error {
	reply, _, err := queryTrans(gid)
	if err != nil {
		return err
	}
	if reply.Transaction == nil {
		return fmt.Errorf("no transaction %s", gid)
	}
	if reply.Transaction.Owner != owner {
		return waitSettled(gid)
	}
	if isFinished(reply.Transaction.Status) {
		return fmt.Errorf("transaction %s is already %s: no pass to run", gid, reply.Transaction.Status)
	}
	deadline := time.Now().Add(claimTimeout)
	var posted time.Time
	for {
		// Posted again every 2 s until the claim: a pass already under way (upstream runs two
		// at once in TestTccBarrierDisorder*, where a server with one cron loop must finish the
		// first) may push next_cron_time back when it ends.
		if time.Since(posted) >= 2*time.Second {
			resp, err := dtmcli.GetRestyClient().R().SetBody(map[string]string{"gid": gid}).Post(DtmServer + "/resetNextCronTime")
			if err != nil {
				return err
			}
			if resp.StatusCode() != http.StatusOK {
				return fmt.Errorf("POST /resetNextCronTime: HTTP %d: %s", resp.StatusCode(), resp.String())
			}
			posted = time.Now()
		}
		time.Sleep(50 * time.Millisecond)
		reply, _, err := queryTrans(gid)
		if err != nil {
			return err
		}
		if reply.Transaction != nil && reply.Transaction.Owner != owner {
			return waitSettled(gid)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server's cron did not claim %s within %v of resetNextCronTime", gid, claimTimeout)
		}
	}
}

func currentOwner(gid string) string {
	reply, _, err := queryTrans(gid)
	if err != nil || reply.Transaction == nil {
		return ""
	}
	return reply.Transaction.Owner
}

func cronTransOnce(t *testing.T, gid string) {
	cronTransOnceAfter(t, gid, currentOwner(gid))
}

func cronTransOnceAfter(t *testing.T, gid string, owner string) {
	if gid == "" {
		return // upstream: "the cron finds nothing due"; the server's own cron decides that here
	}
	if err := runPass(gid, owner); err != nil {
		t.Errorf("dtm-suite: cronTransOnce(%s): %v", gid, err)
	}
}

// sleepUntil waits until at (plus a second: the stored times have whole seconds).
func sleepUntil(at time.Time) {
	if d := time.Until(at.Add(1100 * time.Millisecond)); d > 0 {
		logger.Infof("dtm-suite: waiting %v of real time instead of moving the server's clock", d.Round(time.Millisecond))
		time.Sleep(d)
	}
}

func cronTransOnceForwardNow(t *testing.T, gid string, seconds int) {
	owner := currentOwner(gid)
	if trans := getTrans(gid); trans.CreateTime != nil && seconds > 0 {
		timeout := time.Duration(trans.TimeoutToFail) * time.Second
		if timeout == 0 && trans.TransType != "saga" {
			timeout = serverTimeoutToFail
		}
		if timeout > 0 && time.Duration(seconds)*time.Second >= timeout {
			sleepUntil(trans.CreateTime.Add(timeout))
		}
	}
	cronTransOnceAfter(t, gid, owner)
}

func cronTransOnceForwardCron(t *testing.T, gid string, seconds int) {
	owner := currentOwner(gid)
	if trans := getTrans(gid); trans.CreateTime != nil && seconds > 0 {
		var custom struct {
			Delay int64 `json:"delay"`
		}
		_ = json.Unmarshal([]byte(trans.CustomData), &custom)
		if custom.Delay > 0 && int64(seconds) >= custom.Delay {
			sleepUntil(trans.CreateTime.Add(time.Duration(custom.Delay) * time.Second))
		}
	}
	cronTransOnceAfter(t, gid, owner)
}

func submitForwardCron(_ int, fn func()) {
	fn()
}
