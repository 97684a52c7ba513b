#!/usr/bin/env bash
# `npm start`: the nunect development stack in the foreground. Creates .env and the
# development certificates on first use, starts every service, prints where things are, then
# supervises them: a service that dies is restarted (backoff 0.5, 1, 2, 4 s), each restart
# logged with its reason to the terminal and $NATS_RUN_DIR/supervisor.log; a service that
# dies CRASH_LIMIT times within CRASH_WINDOW seconds stops the whole stack with its log tail
# and exit code 1. The other services keep running meanwhile (the manager page stays up while
# nats-server restarts). Ctrl-C (or SIGTERM) stops what it started.
#
# Services are listed in SERVICES; each NAME has start_NAME (returns non-zero on failure),
# stop_NAME, pid_NAME, log_NAME and summary_NAME functions.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

SERVICES=(nats manager)
STARTED=() # services this run started, in start order
CRASH_LIMIT=${NUNECT_CRASH_LIMIT:-5}
CRASH_WINDOW=${NUNECT_CRASH_WINDOW:-60}
START_TIMEOUT=20 # seconds for nats-server to answer /healthz

# --- nats: the NATS server (scripts/nats-server.sh run, as a child of this script) ----------
NATS_PID=""

# `nats-server.sh run` validates the config, checks the ports and then becomes nats-server
# (exec), so $! is the server's pid and `wait` tells how it ended.
start_nats() {
  local i status
  bash "$SCRIPT_DIR/nats-server.sh" run >/dev/null &
  NATS_PID=$!
  # (stderr of the loop: bash would announce a killed child itself.)
  for ((i = 0; i < START_TIMEOUT * 5; i++)); do
    if ! nunect_pid_alive "$NATS_PID"; then
      status=0
      { wait "$NATS_PID"; } 2>/dev/null || status=$?
      START_FAILURE="$(exit_reason "$status") while starting"
      return 1
    fi
    if nunect_healthy; then
      # The endpoints once; a restart is reported by the supervisor.
      [[ -n ${NATS_SHOWN:-} ]] || bash "$SCRIPT_DIR/nats-server.sh" status || true
      NATS_SHOWN=1
      return 0
    fi
    { sleep 0.2; } 2>/dev/null
  done
  START_FAILURE="did not become healthy within ${START_TIMEOUT}s"
  echo "start.sh: nats-server (pid $NATS_PID) did not become healthy within ${START_TIMEOUT}s" >&2
  kill -TERM "$NATS_PID" 2>/dev/null || true
  return 1
}

# Stop only the server this run started (not one that a later start replaced it with).
# Interrupted while starting (no pid yet): stop whatever the start left in the pidfile.
stop_nats() {
  local pid
  pid=$(nunect_server_pid "$NATS_RUN_DIR/nats-server.pid" || true)
  if [[ -n $pid && ( -z $NATS_PID || $pid == "$NATS_PID" ) ]]; then
    bash "$SCRIPT_DIR/nats-server.sh" stop >/dev/null
  elif [[ -n $NATS_PID ]] && nunect_pid_alive "$NATS_PID"; then
    kill -TERM "$NATS_PID" 2>/dev/null || true
  fi
  [[ -z $NATS_PID ]] || wait "$NATS_PID" 2>/dev/null || true
}

pid_nats() { echo "$NATS_PID"; }
log_nats() { echo "$NATS_RUN_DIR/nats-server.log"; }
name_nats() { echo "nats-server"; }

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
    echo "start.sh: NATS_MANAGER_PORT $NATS_MANAGER_PORT is in use${holder:+ by $holder}; stop it or change NATS_MANAGER_PORT in $NUNECT_ENV_FILE" >&2
    return 1
  fi
  if [[ -z ${MANAGER_BUILT:-} ]]; then
    echo "Building the manager page..."
    (cd "$NUNECT_ROOT" && npx --no-install rollup -c scripts/build/rollup.manager.mjs --silent) || return 1
    MANAGER_BUILT=1
  fi
  (cd "$NUNECT_ROOT" && exec node --import tsx scripts/manager-server.ts) >>"$MANAGER_LOG" 2>&1 &
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
  tail -n 20 "$MANAGER_LOG" >&2
  echo "start.sh: the manager server did not start" >&2
  return 1
}

stop_manager() {
  [[ -n $MANAGER_PID ]] && nunect_pid_alive "$MANAGER_PID" || return 0
  kill -TERM "$MANAGER_PID" 2>/dev/null || true
  wait "$MANAGER_PID" 2>/dev/null || true
}

pid_manager() { echo "$MANAGER_PID"; }
log_manager() { echo "$MANAGER_LOG"; }
name_manager() { echo "the manager server"; }

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

SUPERVISOR_LOG=""
stamp() { date '+%H:%M:%S'; }
# A supervisor line: on the terminal and in the supervisor log.
say() {
  printf '%s %s\n' "$(stamp)" "$*"
  [[ -z $SUPERVISOR_LOG ]] || printf '%s %s\n' "$(date '+%F %T')" "$*" >>"$SUPERVISOR_LOG"
}

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

# How a child ended, from its exit status.
exit_reason() {
  local status=$1
  if ((status > 128)); then
    echo "killed by SIG$(kill -l $((status - 128)) 2>/dev/null || echo "$((status - 128))")"
  else
    echo "exited with code $status"
  fi
}

declare -A CRASHES=() # service -> epoch seconds of its recent crashes

# A service died: restart it with backoff, or stop everything when it crashes too often.
on_crash() {
  local service=$1 why=$2 now recent=() t n delay name log
  now=$(date +%s)
  for t in ${CRASHES[$service]:-} "$now"; do
    ((now - t < CRASH_WINDOW)) && recent+=("$t")
  done
  CRASHES[$service]="${recent[*]}"
  n=${#recent[@]}
  name=$(name_$service)
  log=$(log_$service)
  if ((n >= CRASH_LIMIT)); then
    say "$name $why: $n crashes within ${CRASH_WINDOW}s; giving up and stopping the stack. Last lines of $log:"
    tail -n 20 "$log" 2>/dev/null | sed 's/^/    /' || true
    cleanup
    exit 1
  fi
  delay=$(awk -v n="$n" 'BEGIN { d = 0.5 * 2 ^ (n - 1); if (d > 8) d = 8; print d }')
  say "$name $why; restarting in ${delay}s (crash $n of $CRASH_LIMIT allowed within ${CRASH_WINDOW}s)"
  sleep "$delay" &
  wait $! || true
  ((stopping)) && return 0
  START_FAILURE=""
  if "start_$service"; then
    say "$name is back (pid $(pid_$service))"
  else
    on_crash "$service" "failed to start again${START_FAILURE:+ ($START_FAILURE)}"
  fi
}

nunect_load_env
mkdir -p "$NATS_RUN_DIR"
SUPERVISOR_LOG=$NATS_RUN_DIR/supervisor.log
bash "$SCRIPT_DIR/dev-certs.sh" --quiet "$NATS_CERT_DIR"
nunect_find_nats_server

for service in "${SERVICES[@]}"; do
  STARTED+=("$service")
  "start_$service" || nunect_die "could not start $(name_$service); see $(log_$service)"
done

echo
echo "nunect development stack is running (nats-server $NATS_SERVER_VERSION). Ctrl-C stops it."
for service in "${SERVICES[@]}"; do
  "summary_$service"
done
echo "  Crashes:   a service that dies is restarted by itself (log: $SUPERVISOR_LOG);"
echo "             $CRASH_LIMIT crashes within ${CRASH_WINDOW}s stop the stack."

# Supervise: every half second, restart what died.
while true; do
  for service in "${SERVICES[@]}"; do
    pid=$(pid_$service)
    nunect_pid_alive "$pid" && continue
    ((stopping)) && exit 0
    status=0
    { wait "$pid"; } 2>/dev/null || status=$?
    on_crash "$service" "(pid $pid) $(exit_reason "$status")"
  done
  # (stderr: bash would announce a killed child itself; the supervisor says it better.)
  sleep 0.5 &
  wait $! 2>/dev/null || true
done
