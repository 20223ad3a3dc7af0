#!/usr/bin/env bash
# Installs the Go, Java and Python code generators into .bin/ from the package registries (Go module
# proxy, Maven Central, PyPI) at the versions the Makefile pins and exports. Idempotent: a language
# whose pinned versions are already in .bin/ is left alone.
#
# A missing toolchain or a failed install is not an error: the language is reported and skipped.
# `make gen` / `make drift` then leave that language's generated code as committed
# (tools/buf-template.mjs drops plugins whose executables are absent); TypeScript is always generated.
#
#   tools/tools.sh plugins        the buf plugins (make tools)
#   tools/tools.sh grpc-tools     grpcurl and ghz (make grpc-tools)
#   tools/tools.sh examples-deps  warm the Go module and Maven caches the examples need, and make .bin/venv (make examples-deps)
#   tools/tools.sh python-venv    .bin/venv with tools/requirements.txt, for examples/python (make python-venv)
set -uo pipefail
cd "$(dirname "$0")/.."
: "${GHZ_VERSION:?run this through make (make tools, make grpc-tools, make examples-deps): the Makefile pins the versions}"
BIN=.bin
mkdir -p "$BIN"

say() { printf 'tools: %s\n' "$*" >&2; }
# installed NAME WANT: the versions recorded for NAME are WANT and every further argument is executable.
installed() {
  local name=$1 want=$2; shift 2
  [[ -f $BIN/.$name.version && "$(cat "$BIN/.$name.version")" == "$want" ]] || return 1
  local f; for f in "$@"; do [[ -x $f ]] || return 1; done
}

# Maven Central classifier of native executables (protoc, protoc-gen-grpc-java).
maven_classifier() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=osx ;; *) return 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x86_64 ;; aarch64|arm64) arch=aarch_64 ;; *) return 1 ;; esac
  echo "$os-$arch"
}

go_plugins() {
  local want="protoc-gen-go@$PROTOC_GEN_GO_VERSION protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
  installed go "$want" "$BIN/protoc-gen-go" "$BIN/protoc-gen-go-grpc" && return 0
  rm -f "$BIN/.go.version" "$BIN/protoc-gen-go" "$BIN/protoc-gen-go-grpc"
  if ! command -v go >/dev/null; then
    say "SKIP Go: 'go' is not on PATH — gen/go and examples/go are neither regenerated nor drift-checked"
    return 0
  fi
  if GOBIN="$PWD/$BIN" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION" &&
    GOBIN="$PWD/$BIN" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"; then
    echo "$want" >"$BIN/.go.version"
    say "Go plugins installed: $want"
  else
    rm -f "$BIN/protoc-gen-go" "$BIN/protoc-gen-go-grpc"
    say "SKIP Go: go install failed (see above) — gen/go and examples/go are neither regenerated nor drift-checked"
  fi
}

java_plugins() {
  local want="protoc@$PROTOC_VERSION protoc-gen-grpc-java@$GRPC_JAVA_VERSION" classifier
  installed java "$want" "$BIN/protoc" "$BIN/protoc-gen-grpc-java" && return 0
  rm -f "$BIN/.java.version" "$BIN/protoc" "$BIN/protoc-gen-grpc-java"
  local why=""
  if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then why="'mvn' or 'java' is not on PATH"
  elif ! classifier=$(maven_classifier); then why="no protoc build on Maven Central for $(uname -sm)"
  else
    local dl="$BIN/.maven-download" log="$BIN/.maven-download.log"
    rm -rf "$dl"
    # The dependency plugin is pinned: `mvn dependency:copy` alone would pick whatever is newest.
    local artifact ok=1
    for artifact in "com.google.protobuf:protoc:$PROTOC_VERSION" "io.grpc:protoc-gen-grpc-java:$GRPC_JAVA_VERSION"; do
      mvn -B -ntp "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN_VERSION:copy" \
        -Dartifact="$artifact:exe:$classifier" -DoutputDirectory="$dl" -Dmdep.stripVersion=true >"$log" 2>&1 ||
        { grep -E 'ERROR' "$log" >&2; ok=0; break; }
    done
    if ((ok)); then
      install -m 0755 "$dl/protoc-$classifier.exe" "$BIN/protoc" &&
        install -m 0755 "$dl/protoc-gen-grpc-java-$classifier.exe" "$BIN/protoc-gen-grpc-java"
    fi
    rm -f "$log"
    rm -rf "$dl"
    if [[ -x $BIN/protoc && -x $BIN/protoc-gen-grpc-java ]] && "$BIN/protoc" --version >/dev/null; then
      echo "$want" >"$BIN/.java.version"
      say "Java plugins installed: $want"
      return 0
    fi
    rm -f "$BIN/protoc" "$BIN/protoc-gen-grpc-java"
    why="the download from Maven Central failed (see above)"
  fi
  say "SKIP Java: $why — gen/java and examples/java are neither regenerated nor drift-checked"
}

python_plugins() {
  local want; want="requirements@$(sha256sum tools/requirements.txt | cut -c1-16)"
  installed python "$want" "$BIN/venv/bin/python" && return 0
  rm -rf "$BIN/.python.version" "$BIN/venv"
  local why=""
  if ! command -v python3 >/dev/null; then why="'python3' is not on PATH"
  elif ! python3 -m venv "$BIN/venv"; then why="python3 -m venv failed (Debian: apt-get install python3-venv)"
  elif ! "$BIN/venv/bin/python" -m pip install -q --disable-pip-version-check -r tools/requirements.txt; then why="pip install -r tools/requirements.txt failed (see above)"
  elif ! "$BIN/venv/bin/python" -c "import grpc, grpc_tools, google.protobuf"; then why="the venv cannot import grpc_tools"
  else
    echo "$want" >"$BIN/.python.version"
    say "Python generators installed in $BIN/venv: $(grep -E '^[a-z]' tools/requirements.txt | tr '\n' ' ')"
    return 0
  fi
  rm -rf "$BIN/venv"
  say "SKIP Python: $why — gen/python and examples/python are neither regenerated nor drift-checked"
}

grpc_tools() {
  local want="grpcurl@$GRPCURL_VERSION ghz@$GHZ_VERSION"
  installed grpc-tools "$want" "$BIN/grpcurl" "$BIN/ghz" && return 0
  command -v go >/dev/null || { say "grpcurl and ghz need Go: 'go' is not on PATH"; return 1; }
  rm -f "$BIN/.grpc-tools.version"
  # -X main.version: what their release builds stamp, so `-version` tells the truth.
  GOBIN="$PWD/$BIN" go install -ldflags "-X main.version=$GRPCURL_VERSION" "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION" &&
    GOBIN="$PWD/$BIN" go install -ldflags "-X main.version=$GHZ_VERSION" "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION" || return 1
  echo "$want" >"$BIN/.grpc-tools.version"
  say "installed $BIN/grpcurl $GRPCURL_VERSION and $BIN/ghz $GHZ_VERSION"
}

# For examples/python: python_plugins makes the venv (the generators' requirements include grpcio and
# protobuf); unlike `make tools`, a venv that cannot be made is an error here.
python_venv() {
  python_plugins
  [[ -x $BIN/venv/bin/python ]] || return 1
  say "examples/python runs with $BIN/venv/bin/python"
}

# Downloads only: the first `go build` / `mvn package` of the examples then needs no network.
examples_deps() {
  local rc=0
  if command -v go >/dev/null; then (cd examples/go && go mod download) || rc=1; else say "SKIP examples/go: no Go"; fi
  if command -v mvn >/dev/null; then
    mvn -B -ntp -f examples/java/pom.xml package >"$BIN/.maven-package.log" 2>&1 || { grep ERROR "$BIN/.maven-package.log" >&2; rc=1; }
    rm -f "$BIN/.maven-package.log"
  else say "SKIP examples/java: no Maven"; fi
  python_venv || rc=1
  return $rc
}

case "${1:-}" in
  plugins) go_plugins; java_plugins; python_plugins ;;
  grpc-tools) grpc_tools ;;
  examples-deps) examples_deps ;;
  python-venv) python_venv ;;
  *) echo "usage: $0 plugins|grpc-tools|examples-deps|python-venv" >&2; exit 2 ;;
esac
