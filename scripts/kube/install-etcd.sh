#!/usr/bin/env bash
# Makes sure an etcd binary is available for the Kubernetes integration tests and prints its path on stdout.
# Order: $HAKO_ETCD, `etcd` on PATH, /usr/bin/etcd; else, as root with apt-get, installs Debian's etcd-server (which
# only provides the binary here: the tests start their own etcd on a free loopback port with a throw-away data dir).
set -euo pipefail

for candidate in "${HAKO_ETCD:-}" "$(command -v etcd || true)" /usr/bin/etcd; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-etcd: installing Debian's etcd-server with apt-get: the Kubernetes integration tests run their own etcd" >&2
  apt-get update -qq >&2
  # No service is started in a container without systemd; where systemd runs, Debian starts (and enables) an etcd
  # on 2379 as it would for any user of the package. The tests never use it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
  if [ -x /usr/bin/etcd ]; then
    echo "install-etcd: installed $(/usr/bin/etcd --version | head -1)" >&2
    echo /usr/bin/etcd
    exit 0
  fi
fi

echo "install-etcd: no etcd found. Install one (Debian/Ubuntu: apt-get install etcd-server) or set HAKO_ETCD to its path" >&2
exit 1
