#!/usr/bin/env bash
# Runs the manager's HTTPS server in the foreground with the settings from .env.
# Builds the page first when dist/manager is missing (or with --build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
nunect_load_env
cd "$NUNECT_ROOT"
if [[ ${1:-} == --build || ! -f dist/manager/index.html ]]; then
  npx --no-install rollup -c scripts/build/rollup.manager.mjs --silent
fi
if nunect_port_in_use "$NATS_MANAGER_PORT"; then
  holder=$(nunect_port_holder "$NATS_MANAGER_PORT" || true)
  nunect_die "NATS_MANAGER_PORT $NATS_MANAGER_PORT is in use${holder:+ by $holder}; stop it or change NATS_MANAGER_PORT in .env"
fi
exec node --import tsx scripts/manager-server.ts
