#!/usr/bin/env bash
# Runs the Controller (scripts/controller.ts) in the foreground with the settings from .env: the
# OPS streams and unit registry, kept from every unit's heartbeats. npm start runs and supervises it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
nunect_load_env
cd "$NUNECT_ROOT"
if [[ -z ${NATS_MANAGER_WS_URL:-} ]]; then
  NATS_MANAGER_WS_URL=$(nunect_node_urls wss "$NUNECT_BASE_NATS_WS_PORT" | tr -d '"' | sed "s#127.0.0.1#${NATS_MANAGER_DOMAIN:-localhost}#g")
  export NATS_MANAGER_WS_URL
fi
exec node --import tsx scripts/controller.ts
