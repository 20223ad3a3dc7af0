#!/usr/bin/env bash
# `make dtm-suite`: run the test suite of dtm v1.19.0 (package test/ of the Go module
# github.com/dtm-labs/dtm) against a server outside the test process — `concord serve` on
# Postgres by default, or dtm's own server (--server dtm) to check the harness — speaking only
# dtm's public API. The count is the result: the script exits 0 whenever the suite ran.
#
#   bash tools/dtm-suite.sh [--server concord|dtm] [--no-workflow] [--run REGEXP] [--timeout 15m] [--keep]
#
#   --server    concord (default): node bin/concord.js serve on a throwaway Postgres;
#               dtm: dtm's server built from the same module, on the same Postgres.
#   --no-workflow  skip the workflow tests (TestWorkflow*), which run by default since Concord
#               has a workflow mode (issue 11); --workflow, their old switch, is still accepted.
#   --run       only the tests whose names match REGEXP (bash =~); the others count as skipped.
#   --timeout   time limit of the whole test run (go test -timeout; default 15m).
#   --keep      keep the temporary working copy (its path is printed).
#
# What it does:
#   1. Fetches the pinned module with `go mod download` (the Go module proxy) and copies it to a
#      temporary working copy under the OS temp dir. Nothing of dtm enters this repository.
#   2. Patches the copy, with sed: renames the upstream definitions that reach into an in-process
#      dtm server — TestMain (test/main_test.go); waitTransProcessed, cronTransOnce,
#      cronTransOnceForwardNow, cronTransOnceForwardCron, submitForwardCron (test/types.go);
#      getTransStatus, getTrans, getBranchesStatus (test/dtmsvr_test.go) — to upstream<Name>, and
#      adds tools/dtm-suite/external_test.go, which defines them again over the public HTTP API
#      (GET /query, POST /resetNextCronTime) and starts only busi. No other line changes.
#   3. Starts a throwaway Postgres (tools/dtm-suite-postgres.ts; max_prepared_transactions=64)
#      with databases dtm (busi), concord and dtmsvr, then the server under test on dtm's default
#      ports (HTTP 36789, gRPC 36790), where the suite looks for it (dtmutil.DefaultHTTPServer,
#      DefaultGrpcServer). busi itself listens on 8081 and 58081.
#   4. Runs `go test -json` on the copy's test/ package, skipping the tests no external server on
#      Postgres can pass (list below). A panic or os.Exit in one test ends a Go test binary, so
#      the tests after it are run again in a new `go test`, until all have a result or the time
#      limit is spent.
#   5. Writes dist/dtm-suite/: go-test.json (the events), results.tsv (every test: result and
#      why), failures.txt, skipped.tsv, summary.txt, and the logs of the server, of Postgres and
#      of go test's stderr; prints `dtm suite: N passed, N failed, N skipped`.
#
# The server is configured as dtm's suite expects its in-process server to be, as far as it
# can be: TimeoutToFail 10 s (the shim waits real time for timeouts, assuming this value:
# DTM_SUITE_TIMEOUT_TO_FAIL) and busi's alert webhook; RetryInterval is 10 s, dtm's default and
# Concord's for what comes through dtm's API; busi listens on localhost, which concord serve
# refuses to call unless --allow-targets lists it; for dtm also a 1 s cron, synchronous branch
# writes and a 1 s topic refresh. Extra flags for concord serve: CONCORD_ARGS.
set -euo pipefail

DTM_MODULE=github.com/dtm-labs/dtm
DTM_VERSION=v1.19.0
HTTP_PORT=36789
GRPC_PORT=36790
BUSI_PORTS=(8081 58081)
TIMEOUT_TO_FAIL=10

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/dist/dtm-suite

say() { echo "dtm-suite: $*"; }
die() {
  echo "dtm-suite: $*" >&2
  exit 1
}

server=concord
workflow=1
timeout=15m
keep=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server=${2:-}; shift 2 ;;
    --server=*) server=${1#*=}; shift ;;
    --workflow) workflow=1; shift ;;
    --no-workflow) workflow=0; shift ;;
    --timeout) timeout=${2:-}; shift 2 ;;
    --timeout=*) timeout=${1#*=}; shift ;;
    --keep) keep=1; shift ;;
    --run) only=${2:-}; shift 2 ;;
    --run=*) only=${1#*=}; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
case "$server" in concord | dtm) ;; *) die "--server: concord or dtm, not '$server'" ;; esac
case "$timeout" in
  *h) timeout_s=$((${timeout%h} * 3600)) ;;
  *m) timeout_s=$((${timeout%m} * 60)) ;;
  *s) timeout_s=${timeout%s} ;;
  *) timeout_s=$timeout ;;
esac
[[ "$timeout_s" =~ ^[0-9]+$ ]] && [ "$timeout_s" -gt 0 ] || die "--timeout: a duration such as 15m, 900s or 1h, not '$timeout'"

command -v go >/dev/null 2>&1 || die "Go is needed (1.22 or later: dtm's module says go 1.22) to build and run dtm's test suite; install it and run again"
command -v node >/dev/null 2>&1 || die "node is needed"

# Everything started here is a process group of its own (setsid), stopped on exit, Ctrl-C included.
pids=()
work=""
stop_group() { # pid, seconds to wait before SIGKILL
  local pid=$1 wait_s=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  # Newest first: the test run, the server, then Postgres (which removes its data on SIGTERM).
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_group "${pids[i]}" 20; done
  if [ -n "$work" ]; then
    if [ "$keep" = 1 ]; then say "working copy kept in $work"; else rm -rf "$work"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo; say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTP_PORT" "$GRPC_PORT" "${BUSI_PORTS[@]}"; do
  port_busy "$port" && die "port $port is in use: the suite needs $HTTP_PORT and $GRPC_PORT for the server and ${BUSI_PORTS[*]} for busi (stop what listens there)"
done

mkdir -p "$OUT"
rm -f "$OUT"/{go-test.json,go-test.stderr,results.tsv,failures.txt,skipped.tsv,summary.txt,all-tests.txt,server.log,postgres.log}
work=$(mktemp -d "${TMPDIR:-/tmp}/concord-dtm-suite.XXXXXX")
start_s=$SECONDS

# 1. The pinned module, through the Go module proxy (GOPROXY), into the module cache.
say "fetching $DTM_MODULE@$DTM_VERSION"
dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$DTM_MODULE@$DTM_VERSION" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const m = JSON.parse(s); if (m.Error || !m.Dir) { console.error(m.Error || "no Dir in go mod download output"); process.exit(1); }
    console.log(m.Dir);
  });') || die "go mod download $DTM_MODULE@$DTM_VERSION failed"
copy=$work/dtm
cp -R "$dir" "$copy"
chmod -R u+w "$copy"

# 2. The patch (see the header): rename the in-process definitions, add the external ones.
rename_def() { # file, function name
  local file=$copy/test/$1 name=$2
  grep -q "^func $name(" "$file" || die "patch: no 'func $name(' in test/$1 of $DTM_MODULE@$DTM_VERSION"
  sed -i "s/^func $name(/func upstream${name^}(/" "$file"
}
rename_def main_test.go TestMain
for name in waitTransProcessed cronTransOnce cronTransOnceForwardNow cronTransOnceForwardCron submitForwardCron; do
  rename_def types.go "$name"
done
for name in getTransStatus getTrans getBranchesStatus; do rename_def dtmsvr_test.go "$name"; done
cp "$ROOT/tools/dtm-suite/external_test.go" "$copy/test/zz_concord_external_test.go"

say "building dtm's test suite (the first run downloads its Go dependencies)"
(cd "$copy" && go test -c -o "$work/dtm-suite.test" ./test) >"$OUT/go-test.stderr" 2>&1 ||
  { cat "$OUT/go-test.stderr" >&2; die "dtm's test suite does not build (above)"; }
"$work/dtm-suite.test" -test.list ".*" 2>>"$OUT/go-test.stderr" | grep '^Test' >"$OUT/all-tests.txt" || die "could not list the suite's tests"

# The tests no external server on Postgres can pass, and why (dtm-compat.md section 10).
skips=(
  'Redis|Mongo	needs Redis or Mongo in busi'
  '^TestStore|^TestUpdateBranches$|^TestResetTransGlobalCronTime$	reads or writes the in-process server store (store_test.go)'
  '^TestAPIResetCronTime$|^TestAPIResetNextCronTime$|^TestGeneralDB$|^TestWorkflowBranchConflict$	reads or writes the in-process server store'
  '^TestUpdateBranchAsync$	flips the in-process server setting UpdateBranchSync'
  '^TestMsgOptionsTimeoutCustom$|^TestMsgOptionsTimeoutFailed$	slow: waits out a 120 s TimeoutToFail in real time'
  '^TestSagaOptionsTimeout$	time travel: waits out a 1800 s TimeoutToFail in real time'
)
[ "$workflow" = 1 ] || skips+=('^TestWorkflow	workflow (skipped by --no-workflow)')
: >"$OUT/skipped.tsv"
while IFS= read -r name; do
  if [ -n "$only" ] && ! [[ "$name" =~ $only ]]; then
    printf '%s\t%s\n' "$name" "not selected by --run" >>"$OUT/skipped.tsv"
    continue
  fi
  for entry in "${skips[@]}"; do
    if [[ "$name" =~ ${entry%%	*} ]]; then
      printf '%s\t%s\n' "$name" "${entry#*	}" >>"$OUT/skipped.tsv"
      break
    fi
  done
done <"$OUT/all-tests.txt"
skip_re="^($(cut -f1 "$OUT/skipped.tsv" | paste -sd '|'))\$"
say "$(wc -l <"$OUT/all-tests.txt") tests, $(wc -l <"$OUT/skipped.tsv") skipped:"
cut -f2 "$OUT/skipped.tsv" | sort | uniq -c | sed 's/^ */  /'

# 3. Postgres, then the server under test.
say "starting Postgres"
(cd "$ROOT" && exec setsid node dist/tools/dtm-suite-postgres.js --out "$work/pg.env") >"$OUT/postgres.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 600; i++)); do
  [ -f "$work/pg.env" ] && break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$OUT/postgres.log" >&2; die "Postgres did not start (its log is above)"; }
  sleep 0.1
done
[ -f "$work/pg.env" ] || die "Postgres did not start within 60 s ($OUT/postgres.log)"
# shellcheck disable=SC1091
source "$work/pg.env"
db_url() { local u=${PG_URL%/postgres}; echo "$u/$1"; }

if [ "$server" = concord ]; then
  say "starting concord serve (HTTP $HTTP_PORT, gRPC $GRPC_PORT)"
  # shellcheck disable=SC2086
  (cd "$ROOT" && exec setsid node bin/concord.js serve --database-url "$(db_url concord)" \
    --http-port "$HTTP_PORT" --grpc-port "$GRPC_PORT" \
    --timeout-to-fail-ms $((TIMEOUT_TO_FAIL * 1000)) --alert-webhook-url "http://localhost:${BUSI_PORTS[0]}/api/busi/AlertWebHook" \
    --allow-targets '*,localhost,127.0.0.0/8,::1/128' \
    ${CONCORD_ARGS:-}) >"$OUT/server.log" 2>&1 &
  pids+=($!)
  for ((i = 0; i < 600; i++)); do
    grep -q "concord listening" "$OUT/server.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$OUT/server.log" >&2; die "concord serve exited (its log is above)"; }
    sleep 0.1
  done
  grep -q "concord listening" "$OUT/server.log" || die "concord serve did not say 'concord listening' within 60 s ($OUT/server.log)"
else
  say "building dtm's server"
  (cd "$copy" && go build -ldflags "-X main.Version=$DTM_VERSION" -o "$work/dtm-server" .) >>"$OUT/go-test.stderr" 2>&1 ||
    { cat "$OUT/go-test.stderr" >&2; die "dtm's server does not build (above)"; }
  cat >"$work/dtm.yml" <<EOF
Store:
  Driver: postgres
  Host: localhost
  Port: $PG_PORT
  User: postgres
  Password: $PG_PASSWORD
  Db: dtmsvr
  Schema: public
HttpPort: $HTTP_PORT
GrpcPort: $GRPC_PORT
RetryInterval: 10
TimeoutToFail: $TIMEOUT_TO_FAIL
TransCronInterval: 1
UpdateBranchSync: 1
ConfigUpdateInterval: 1
AlertWebHook: http://localhost:${BUSI_PORTS[0]}/api/busi/AlertWebHook
EOF
  say "starting dtm (HTTP $HTTP_PORT, gRPC $GRPC_PORT; -r creates its tables)"
  # From the module's root: -r reads sqls/ relative to the working directory.
  (cd "$copy" && exec setsid "$work/dtm-server" -c "$work/dtm.yml" -r) >"$OUT/server.log" 2>&1 &
  pids+=($!)
  for ((i = 0; i < 600; i++)); do
    port_busy "$HTTP_PORT" && port_busy "$GRPC_PORT" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { tail -50 "$OUT/server.log" >&2; die "dtm exited (the end of its log is above)"; }
    sleep 0.1
  done
  port_busy "$HTTP_PORT" && port_busy "$GRPC_PORT" || die "dtm did not listen within 60 s ($OUT/server.log)"
fi

# 4. The suite, again for the tests after one that took the test binary down.
export DTM_SUITE_PG_HOST=localhost DTM_SUITE_PG_PORT=$PG_PORT DTM_SUITE_PG_USER=postgres
export DTM_SUITE_PG_PASSWORD=$PG_PASSWORD DTM_SUITE_PG_DB=dtm DTM_SUITE_TIMEOUT_TO_FAIL=$TIMEOUT_TO_FAIL
report() { node "$ROOT/tools/dtm-suite-report.mjs" "$1" "$OUT/all-tests.txt" "$OUT/skipped.tsv" "$OUT/go-test.json" "$OUT"; }
deadline=$((SECONDS + timeout_s))
touch "$OUT/go-test.json"
runs=0
while :; do
  remaining=$(report remaining)
  [ -n "$remaining" ] || break
  left=$((deadline - SECONDS))
  if [ "$left" -lt 5 ]; then
    say "time limit ($timeout) spent; $(wc -l <<<"$remaining") tests not run"
    break
  fi
  runs=$((runs + 1))
  say "go test run $runs: $(wc -l <<<"$remaining") tests, at most ${left}s (events in $OUT/go-test.json)"
  before=$(wc -l <"$OUT/go-test.json")
  (cd "$copy" && exec setsid go test -json -count=1 -p 1 -timeout "${left}s" \
    -run "^($(paste -sd '|' <<<"$remaining"))\$" -skip "$skip_re" ./test) >>"$OUT/go-test.json" 2>>"$OUT/go-test.stderr" &
  pids+=($!)
  wait "${pids[-1]}" || true
  unset 'pids[-1]'
  if [ "$(report remaining)" = "$remaining" ]; then
    # Not one test started: the test binary died in TestMain, or go test itself failed.
    say "go test run $runs gave no test a result; the end of its output and of its stderr:"
    tail -n +"$((before + 1))" "$OUT/go-test.json" | tail -30 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const l of s.split("\n")){try{const e=JSON.parse(l);if(e.Output)process.stderr.write(e.Output)}catch{}}})'
    tail -20 "$OUT/go-test.stderr" >&2
    [ "$runs" -gt 1 ] || die "the suite did not run"
    break
  fi
done

# 5. The count.
report summary | tee "$OUT/summary.txt"
elapsed=$((SECONDS - start_s))
say "server: $server; took $((elapsed / 60))m$((elapsed % 60))s in $runs go test run(s); failures in $OUT/failures.txt, every test in $OUT/results.tsv"
