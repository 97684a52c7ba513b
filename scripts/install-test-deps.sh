#!/usr/bin/env bash
# Installs what the tests need, when missing: Chromium and nats-server (the oldest supported,
# Debian's 2.9.10) from Debian, and the current nats-server (config/versions.env) built with
# `go install`, cached in ~/.cache/nunect, and the nats CLI (a test oracle). As root it installs;
# otherwise it prints the commands.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
version=$NUNECT_NATS_SERVER_VERSION

need=()
[ -x "${CHROME_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Missing: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

dest="$HOME/.cache/nunect/nats-server-$version"
go_bin="$(command -v go || true)"
[ -n "$go_bin" ] || { [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go; } || true
if [ ! -x "$dest/nats-server" ]; then
  if [ -n "$go_bin" ]; then
    echo "Building nats-server $version with go install (cached in $dest)"
    GOBIN="$dest" "$go_bin" install "github.com/nats-io/nats-server/v2@$version"
  else
    echo "Go not found: the tests run against Debian's nats-server only." >&2
  fi
fi
# The nats CLI, an independent oracle for some tests and benchmarks (never used by nunect itself).
cli_dest="$HOME/.cache/nunect/nats-$NUNECT_NATSCLI_VERSION"
if [ ! -x "$cli_dest/nats" ] && [ -n "$go_bin" ]; then
  echo "Building the nats CLI $NUNECT_NATSCLI_VERSION with go install (cached in $cli_dest)"
  GOBIN="$cli_dest" "$go_bin" install "github.com/nats-io/natscli/nats@$NUNECT_NATSCLI_VERSION"
fi
echo "Test dependencies ready: $(/usr/bin/chromium --version 2>/dev/null | head -1); nats-server $(nats-server --version 2>/dev/null || /usr/sbin/nats-server --version)${go_bin:+ and $version}"
