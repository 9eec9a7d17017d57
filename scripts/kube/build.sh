#!/usr/bin/env bash
# Builds the Kubernetes control plane the integration tests run (kube-apiserver, kube-controller-manager,
# kube-scheduler at a pinned release, with their version stamped in) and kwok (a fake kubelet), from Go modules
# only: the Go module proxy and Debian's apt are all it needs, never GitHub. Binaries go to a cache outside the
# repository and the build is skipped when they are there; Go's own module and build caches are left where Go keeps
# them, which is what makes a rebuild take seconds instead of minutes.
#
#   bash scripts/kube/build.sh            build if needed; print the binary directory on stdout (progress on stderr)
#   bash scripts/kube/build.sh --kubectl  also build kubectl (for debugging by hand; tests never use it)
#   bash scripts/kube/build.sh --bin-dir  print the binary directory and exit 0 if it is complete, 1 if not
#   bash scripts/kube/build.sh --go       print the go binary a build would use (installing one if needed)
#
# Environment: HAKO_KUBE_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/hako-kube), HAKO_KUBE_GO (a go binary to
# use instead of the one on PATH).
set -euo pipefail
# One compound command, so bash reads the whole file before running any of it: a checkout or an edit during a
# ten-minute build cannot change what the running build does.
{

KUBE_VERSION=v1.31.0
KWOK_VERSION=v0.6.1
# The newest `go` directive among the two modules built (kwok v0.6.1 says 1.22.3, kubernetes v1.31.0 1.22.0).
GO_MIN=1.22.3
# The toolchain fetched through the module proxy when no new enough Go is installed (Debian 12 ships Go 1.19).
GO_TOOLCHAIN=go1.23.12

CACHE="${HAKO_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hako-kube}"
BIN_DIR="$CACHE/$KUBE_VERSION-kwok-$KWOK_VERSION/bin"
SERVER_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)

with_kubectl=false
only_go=false
case "${1:-}" in
  --kubectl) with_kubectl=true ;;
  --go) only_go=true ;;
  --bin-dir)
    echo "$BIN_DIR"
    for b in "${SERVER_BINARIES[@]}" kwok; do [ -x "$BIN_DIR/$b" ] || exit 1; done
    exit 0
    ;;
  "") ;;
  *) echo "usage: $0 [--kubectl | --bin-dir | --go]" >&2; exit 2 ;;
esac

say() { echo "kube-build: $*" >&2; }

wanted=("${SERVER_BINARIES[@]}")
$with_kubectl && wanted+=(kubectl)
missing_kube=()
for b in "${wanted[@]}"; do [ -x "$BIN_DIR/$b" ] || missing_kube+=("$b"); done
missing_kwok=false
[ -x "$BIN_DIR/kwok" ] || missing_kwok=true
if [ ${#missing_kube[@]} -eq 0 ] && ! $missing_kwok && ! $only_go; then
  echo "$BIN_DIR"
  exit 0
fi

mkdir -p "$CACHE"
# Two test runs starting at once must not both build (and half-write) the same binaries.
exec 9>"$CACHE/.build.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi

started=$SECONDS

# ---- Go ----

# Prints "1" when version $1 (e.g. 1.22.3 or 1.23) is at least $2.
version_at_least() {
  local IFS=.
  local -a a=($1) b=($2)
  local i
  for i in 0 1 2; do
    local x=${a[i]:-0} y=${b[i]:-0}
    if ((10#$x > 10#$y)); then return 0; fi
    if ((10#$x < 10#$y)); then return 1; fi
  done
  return 0
}

go_version_of() { # "go version go1.22.3 linux/amd64" -> 1.22.3
  "$1" env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9][0-9.]*\).*/\1/p'
}

find_go() {
  local candidate="${HAKO_KUBE_GO:-$(command -v go || true)}"
  if [ -n "$candidate" ]; then
    local v
    v="$(GOTOOLCHAIN=local go_version_of "$candidate")"
    if [ -n "$v" ] && version_at_least "$v" "$GO_MIN"; then
      GO="$candidate"
      say "using Go $v ($GO)"
      return
    fi
    say "Go ${v:-?} at $candidate is older than the $GO_MIN these modules need"
  else
    say "no Go on PATH"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      # Debian's Go is too old to build Kubernetes, but it is a verified client for the module proxy, which
      # serves every Go release as the module golang.org/toolchain (the way `GOTOOLCHAIN=auto` gets one).
      say "installing Debian's golang-go with apt-get, only to download Go $GO_TOOLCHAIN through the module proxy"
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go >/dev/null
      candidate="$(command -v go)"
    else
      say "install Go >= $GO_MIN (https://go.dev/doc/install), or run this as root on Debian to install it with apt"
      exit 1
    fi
  fi
  fetch_toolchain "$candidate"
}

fetch_toolchain() {
  local bootstrap="$1" module="golang.org/toolchain@v0.0.1-$GO_TOOLCHAIN.linux-$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/')"
  say "downloading $module with $bootstrap"
  local dir
  # Outside any module, so that no go.mod around the current directory matters; GOFLAGS cleared for the same reason.
  dir="$(cd / && GOFLAGS= GOTOOLCHAIN=local GO111MODULE=on "$bootstrap" mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  if [ -z "$dir" ] || [ ! -f "$dir/bin/go" ]; then
    say "could not download $module"
    exit 1
  fi
  # Module zips carry no file modes; the go command makes a downloaded toolchain's programs executable itself
  # (cmd/go/internal/toolchain). chmod on files in the read-only module cache works: it changes the file, not the
  # directory.
  chmod a+x "$dir"/bin/* "$dir"/pkg/tool/*/*
  GO="$dir/bin/go"
  export GOROOT="$dir"
  say "using Go $(go_version_of "$GO") ($GO)"
}

GO=""
find_go
if $only_go; then
  echo "$GO"
  exit 0
fi
# The version we chose is the one that builds: no switching to what a go.mod asks for.
export GOTOOLCHAIN=local
export GOFLAGS="-buildvcs=false"

go_cache="$("$GO" env GOCACHE)"
go_modcache="$("$GO" env GOMODCACHE)"
say "Go caches kept between runs: build $go_cache, modules $go_modcache"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$work/out"
mkdir -p "$out" "$BIN_DIR"

# ---- Kubernetes ----

if [ ${#missing_kube[@]} -gt 0 ]; then
  step=$SECONDS
  # `go install k8s.io/kubernetes/cmd/...@v1.31.0` refuses: k8s.io/kubernetes's go.mod replaces its staging
  # modules with local directories. A throw-away main module replaces each with its published twin instead
  # (k8s.io/api => k8s.io/api v0.31.0), read from that go.mod so the list cannot drift from the release.
  say "reading k8s.io/kubernetes@$KUBE_VERSION's go.mod"
  gomod="$(cd / && GOFLAGS= "$GO" mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$gomod" ] || { say "could not download k8s.io/kubernetes@$KUBE_VERSION"; exit 1; }
  staging_version="v0.${KUBE_VERSION#v1.}"
  mod="$work/mod"
  mkdir -p "$mod"
  {
    echo "module hako.invalid/kube-build"
    echo
    echo "go $GO_MIN"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/k8s\.io/.*#\t\1 => \1 '"$staging_version"'#p' "$gomod"
    echo ")"
  } >"$mod/go.mod"
  replaced=$(grep -c ' => ' "$mod/go.mod" || true)
  [ "$replaced" -gt 0 ] || { say "found no staging replace directives in $gomod"; exit 1; }
  # A main package so the module is buildable; the real targets are named on the command line.
  printf 'package main\n\nfunc main() {}\n' >"$mod/main.go"

  pkg=k8s.io/component-base/version
  cpkg=k8s.io/client-go/pkg/version
  minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  ldflags="-s -w"
  for p in $pkg $cpkg; do
    ldflags+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    ldflags+=" -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  targets=()
  for b in "${missing_kube[@]}"; do targets+=("k8s.io/kubernetes/cmd/$b"); done
  say "building ${missing_kube[*]} $KUBE_VERSION ($replaced staging modules replaced by $staging_version);" \
    "the first time ~10 CPU-minutes (5+ minutes on 2 cores) and ~0.7 GiB of downloads, ~3.5 GiB of Go caches;" \
    "later builds reuse them"
  (cd "$mod" && "$GO" build -mod=mod -trimpath -ldflags "$ldflags" -o "$out/" "${targets[@]}")
  say "kubernetes binaries built in $((SECONDS - step)) s"
fi

# ---- kwok ----

if $missing_kwok; then
  step=$SECONDS
  say "building kwok $KWOK_VERSION"
  (cd / && GOBIN="$out" "$GO" install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION")
  say "kwok built in $((SECONDS - step)) s"
fi

# Move into place only now, so an interrupted build never leaves a binary that looks complete.
for f in "$out"/*; do mv -f "$f" "$BIN_DIR/"; done
say "done in $((SECONDS - started)) s: $BIN_DIR"
echo "$BIN_DIR"
exit
}
