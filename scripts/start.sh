#!/usr/bin/env bash
# `npm start`: the nunect development stack in the foreground. Creates .env and the
# development certificates on first use, starts every service, prints where things are,
# then waits; Ctrl-C (or SIGTERM) stops what it started.
#
# Services are listed in SERVICES; each NAME has start_NAME, stop_NAME, alive_NAME and
# summary_NAME functions. Add the next one (the manager page) next to "nats".
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

SERVICES=(nats manager)
STARTED=() # services this run started, in start order

# --- nats: the NATS server (scripts/nats-server.sh) ---------------------------------------
NATS_PID=""

start_nats() {
  bash "$SCRIPT_DIR/nats-server.sh" start
  NATS_PID=$(nunect_server_pid "$NATS_RUN_DIR/nats-server.pid") ||
    nunect_die "nats-server started but its pidfile names no live server"
}

# Stop only the server this run started (not one that a later start replaced it with).
# Interrupted while starting (no pid yet): stop whatever the start left in the pidfile.
stop_nats() {
  local pid
  pid=$(nunect_server_pid "$NATS_RUN_DIR/nats-server.pid" || true)
  if [[ -n $pid && ( -z $NATS_PID || $pid == "$NATS_PID" ) ]]; then
    bash "$SCRIPT_DIR/nats-server.sh" stop
  fi
}

alive_nats() {
  nunect_pid_alive "$NATS_PID" && return 0
  echo "start.sh: nats-server (pid $NATS_PID) stopped unexpectedly. Last lines of its log:" >&2
  tail -n 20 "$NATS_RUN_DIR/nats-server.log" >&2 || true
  return 1
}

summary_nats() {
  if [[ $NATS_AUTH_MODE == operator ]]; then
    cat <<EOF
  Auth:      operator mode (JWT, NATS_AUTH_MODE=operator): one credentials file per user,
             $NATS_CREDS_DIR/<user>.creds (private); keys in $NATS_OPERATOR_DIR/keys.
EOF
  else
    cat <<EOF
  Auth:      password mode (NATS_AUTH_MODE=password): the passwords are the *_PASSWORD lines
             in $NUNECT_ENV_FILE.
EOF
  fi
  cat <<EOF
  Users:     SYS: $NATS_SYS_USER (every right), $NATS_MONITOR_USER (monitoring only)
             BRIDGE: $NATS_BRIDGE_USER (every right), $NATS_BRIDGE_SERVICE_USER (bridge.>), $NATS_LOGGER_USER (logs as $NATS_LOGGER_UNIT)
             ENGINE: $NATS_ENGINE_USER (every right), $NATS_ENGINE_SERVICE_USER (engine.>)
             PROVISION: $NATS_PROVISION_USER (every right), $NATS_PROVISION_SERVICE_USER (provision.>)
             Rights: config/permissions.conf.
  Trust the development CA: $NATS_TLS_CA
             (see "Trusting the development CA" in README.md; for a headless Chromium:
              --ignore-certificate-errors-spki-list=$(bash "$SCRIPT_DIR/dev-certs.sh" --spki "$NATS_CERT_DIR"))
EOF
}

# --- manager: the manager page's HTTPS server (scripts/manager-server.ts) -----------------
MANAGER_PID=""
MANAGER_LOG=""

start_manager() {
  MANAGER_LOG="$NATS_RUN_DIR/manager.log"
  if nunect_port_in_use "$NATS_MANAGER_PORT"; then
    local holder
    holder=$(nunect_port_holder "$NATS_MANAGER_PORT" || true)
    nunect_die "NATS_MANAGER_PORT $NATS_MANAGER_PORT is in use${holder:+ by $holder}; stop it or change NATS_MANAGER_PORT in $NUNECT_ENV_FILE"
  fi
  echo "Building the manager page..."
  (cd "$NUNECT_ROOT" && npx --no-install rollup -c scripts/build/rollup.manager.mjs --silent)
  (cd "$NUNECT_ROOT" && exec node --import tsx scripts/manager-server.ts) >"$MANAGER_LOG" 2>&1 &
  MANAGER_PID=$!
  local host=$NATS_MANAGER_BIND
  [[ $host == 0.0.0.0 || $host == "::" ]] && host=127.0.0.1
  for _ in $(seq 1 150); do
    if curl -fsS --cacert "$NATS_TLS_CA" --resolve "$NATS_MANAGER_DOMAIN:$NATS_MANAGER_PORT:$host" \
      -o /dev/null "https://$NATS_MANAGER_DOMAIN:$NATS_MANAGER_PORT/settings.json" 2>/dev/null; then
      return 0
    fi
    nunect_pid_alive "$MANAGER_PID" || break
    sleep 0.1
  done
  cat "$MANAGER_LOG" >&2
  nunect_die "the manager server did not start"
}

stop_manager() {
  [[ -n $MANAGER_PID ]] && nunect_pid_alive "$MANAGER_PID" || return 0
  kill -TERM "$MANAGER_PID" 2>/dev/null || true
  wait "$MANAGER_PID" 2>/dev/null || true
}

alive_manager() {
  nunect_pid_alive "$MANAGER_PID" && return 0
  echo "start.sh: the manager server (pid $MANAGER_PID) stopped unexpectedly:" >&2
  tail -n 20 "$MANAGER_LOG" >&2 || true
  return 1
}

summary_manager() {
  echo "  Manager:   https://$NATS_MANAGER_DOMAIN:$NATS_MANAGER_PORT/   (log: $MANAGER_LOG)"
  if [[ $NATS_AUTH_MODE == operator ]]; then
    cat <<EOF
             Log in as $NATS_MONITOR_USER with the credentials file $NATS_CREDS_DIR/$NATS_MONITOR_USER.creds.
             (Every right in SYS: the credentials file $NATS_CREDS_DIR/$NATS_SYS_USER.creds.)
EOF
  else
    cat <<EOF
             Log in as $NATS_MONITOR_USER with NATS_MONITOR_PASSWORD from $NUNECT_ENV_FILE.
             (Every right in the system account: user $NATS_SYS_USER, NATS_SYS_PASSWORD in the same file.)
EOF
  fi
}

# --- lifecycle -------------------------------------------------------------------------------

stopping=0
cleanup() {
  local i
  ((stopping)) && return
  stopping=1
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    "stop_${STARTED[i]}" || echo "start.sh: could not stop ${STARTED[i]}" >&2
  done
}
on_signal() {
  echo
  echo "Stopping..."
  cleanup
  exit 0
}
trap on_signal INT TERM HUP
trap cleanup EXIT

nunect_load_env
bash "$SCRIPT_DIR/dev-certs.sh" --quiet "$NATS_CERT_DIR"
nunect_find_nats_server

for service in "${SERVICES[@]}"; do
  STARTED+=("$service")
  "start_$service"
done

echo
echo "nunect development stack is running. Ctrl-C stops it."
for service in "${SERVICES[@]}"; do
  "summary_$service"
done

# Wait in the foreground; leave if a service dies on its own.
while true; do
  for service in "${SERVICES[@]}"; do
    "alive_$service" || exit 1
  done
  sleep 2 &
  wait $! || true
done
