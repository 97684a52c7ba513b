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

SERVICES=() # set after the settings are loaded: nats:1 … nats:N, leaf (NATS_LEAF=1), manager
STARTED=() # services this run started, in start order
declare -A PIDS=() # service -> pid of its process (a child of this script)
CRASH_LIMIT=${NUNECT_CRASH_LIMIT:-5}
CRASH_WINDOW=${NUNECT_CRASH_WINDOW:-60}
START_TIMEOUT=20 # seconds for nats-server to answer /healthz

# --- nats:N and leaf: the NATS servers (scripts/nats-server.sh run, children of this script) -

# The nats-server.sh option of a server service: `--node N` or `--leaf`.
server_option() { if [[ $1 == leaf ]]; then echo --leaf; else echo "--node ${1#nats:}"; fi; }
# Points the settings (ports, files) at that server.
use_server() { if [[ $1 == leaf ]]; then nunect_use_leaf; else nunect_use_node "${1#nats:}"; fi; }

# `nats-server.sh run` validates the config, checks the ports and then becomes nats-server
# (exec), so the child's pid is the server's and `wait` tells how it ended. WAIT=up returns once
# the server serves its monitor port (cluster nodes at start: health needs a quorum of nodes).
start_server() {
  local service=$1 want=${2:-healthy} i status pid
  # shellcheck disable=SC2046 # the option is two words
  bash "$SCRIPT_DIR/nats-server.sh" run $(server_option "$service") >/dev/null &
  pid=$!
  PIDS[$service]=$pid
  use_server "$service"
  # (stderr of the loop: bash would announce a killed child itself.)
  for ((i = 0; i < START_TIMEOUT * 5; i++)); do
    if ! nunect_pid_alive "$pid"; then
      status=0
      { wait "$pid"; } 2>/dev/null || status=$?
      START_FAILURE="$(exit_reason "$status") while starting"
      return 1
    fi
    if { [[ $want == up ]] && nunect_monitor_get /varz >/dev/null 2>&1; } || nunect_healthy; then
      return 0
    fi
    { sleep 0.2; } 2>/dev/null
  done
  START_FAILURE="did not become healthy within ${START_TIMEOUT}s"
  echo "start.sh: $(name_of "$service") (pid $pid) did not become healthy within ${START_TIMEOUT}s" >&2
  kill -TERM "$pid" 2>/dev/null || true
  return 1
}

# Waits until the server serves /healthz ok (after every node of a cluster is up).
await_healthy() {
  local service=$1 i
  use_server "$service"
  for ((i = 0; i < START_TIMEOUT * 5; i++)); do
    nunect_healthy && return 0
    nunect_pid_alive "${PIDS[$service]}" || return 1
    { sleep 0.2; } 2>/dev/null
  done
  START_FAILURE="did not become healthy within ${START_TIMEOUT}s"
  return 1
}

# Stop only the server this run started (not one that a later start replaced it with).
stop_server() {
  local service=$1 pid ours=${PIDS[$1]:-}
  use_server "$service"
  pid=$(nunect_server_pid "$NUNECT_PIDFILE" || true)
  if [[ -n $pid && ( -z $ours || $pid == "$ours" ) ]]; then
    # shellcheck disable=SC2046
    bash "$SCRIPT_DIR/nats-server.sh" stop $(server_option "$service") >/dev/null
  elif [[ -n $ours ]] && nunect_pid_alive "$ours"; then
    kill -TERM "$ours" 2>/dev/null || true
  fi
  [[ -z $ours ]] || wait "$ours" 2>/dev/null || true
}

server_log() { use_server "$1"; echo "$NUNECT_LOG"; }

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
  Users:     SYS: $NATS_SYS_USER (every right), $NATS_MONITOR_USER (monitoring only), $NATS_ADMIN_USER (monitoring, kick, reload)
             BRIDGE: $NATS_BRIDGE_USER (every right), $NATS_BRIDGE_SERVICE_USER (bridge.>), $NATS_BRIDGE_UNIT_USER (unit $NATS_BRIDGE_UNIT), $NATS_LOGGER_USER (logs as $NATS_LOGGER_UNIT),
                     $NATS_BRIDGE_VIEWER_USER (the data page, read-only)
             ENGINE: $NATS_ENGINE_USER (every right), $NATS_ENGINE_SERVICE_USER (engine.>), $NATS_ENGINE_UNIT_USER (unit $NATS_ENGINE_UNIT)
             PROVISION: $NATS_PROVISION_USER (every right), $NATS_PROVISION_SERVICE_USER (provision.>), $NATS_PROVISION_UNIT_USER (unit $NATS_PROVISION_UNIT)
             OPS: $NATS_OPS_USER (every right), $NATS_CONTROLLER_USER (the Controller), $NATS_DASHBOARD_USER (units and logs, read-only)
             Rights: config/permissions.conf.
  Trust the development CA: $NATS_TLS_CA
             (see "Trusting the development CA" in README.md; for a headless Chromium:
              --ignore-certificate-errors-spki-list=$(bash "$SCRIPT_DIR/dev-certs.sh" --spki "$NATS_CERT_DIR"))
EOF
}

# --- manager: the manager page's HTTPS server (scripts/manager-server.ts) -----------------
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
  local MANAGER_PID=$!
  PIDS[manager]=$MANAGER_PID
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

# SIGTERM, then SIGKILL if the process is still there after 5 s (a stop must never hang).
stop_pid() {
  local pid=$1 i
  [[ -n $pid ]] && nunect_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    nunect_pid_alive "$pid" || break
    { sleep 0.1; } 2>/dev/null
  done
  nunect_pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

stop_manager() { stop_pid "${PIDS[manager]:-}"; }

# --- controller: the dashboard backend (scripts/controller.ts: unit registry, logs, history) ---

start_controller() {
  local log=$NATS_RUN_DIR/controller.log pid i
  (cd "$NUNECT_ROOT" && exec node --import tsx scripts/controller.ts) >>"$log" 2>&1 &
  pid=$!
  PIDS[controller]=$pid
  local lines
  lines=$(wc -l <"$log" 2>/dev/null || echo 0)
  for ((i = 0; i < 300; i++)); do
    if tail -n +"$((lines + 1))" "$log" 2>/dev/null | grep -q '^controller: ready'; then
      [[ -n ${CONTROLLER_SHOWN:-} ]] || tail -n +"$((lines + 1))" "$log" | grep '^controller: ready' | sed 's/^controller: /  Controller: /'
      CONTROLLER_SHOWN=1
      return 0
    fi
    nunect_pid_alive "$pid" || break
    sleep 0.1
  done
  tail -n 20 "$log" >&2
  START_FAILURE="the Controller did not become ready"
  return 1
}

stop_controller() { stop_pid "${PIDS[controller]:-}"; }

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

# --- services: what each kind does ----------------------------------------------------------

start_of() {
  case $1 in
    nats:* | leaf) start_server "$1" "${2:-healthy}" ;;
    *) "start_$1" ;;
  esac
}
stop_of() {
  case $1 in
    nats:* | leaf) stop_server "$1" ;;
    *) "stop_$1" ;;
  esac
}
name_of() {
  case $1 in
    nats:*) if nunect_is_cluster; then echo "nats-server node ${1#nats:} ($NUNECT_BASE_NATS_SERVER_NAME-${1#nats:})"; else echo nats-server; fi ;;
    leaf) echo "the leaf node server ($NATS_LEAF_NAME)" ;;
    manager) echo "the manager server" ;;
    controller) echo "the Controller" ;;
  esac
}
log_of() {
  case $1 in
    nats:* | leaf) server_log "$1" ;;
    manager) echo "$NATS_RUN_DIR/manager.log" ;;
    controller) echo "$NATS_RUN_DIR/controller.log" ;;
  esac
}

stopping=0
cleanup() {
  local i
  ((stopping)) && return
  stopping=1
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    stop_of "${STARTED[i]}" || echo "start.sh: could not stop ${STARTED[i]}" >&2
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
  name=$(name_of "$service")
  log=$(log_of "$service")
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
  if start_of "$service"; then
    say "$name is back (pid ${PIDS[$service]})"
  else
    on_crash "$service" "failed to start again${START_FAILURE:+ ($START_FAILURE)}"
  fi
}

nunect_load_env
mkdir -p "$NATS_RUN_DIR"
SUPERVISOR_LOG=$NATS_RUN_DIR/supervisor.log
bash "$SCRIPT_DIR/dev-certs.sh" --quiet "$NATS_CERT_DIR"
nunect_find_nats_server
NODES=()
for ((i = 1; i <= NATS_CLUSTER_SIZE; i++)); do NODES+=("nats:$i"); done
SERVICES=("${NODES[@]}")
[[ $NATS_LEAF == 1 ]] && SERVICES+=(leaf)
SERVICES+=(controller manager)
# The page connects to every node (the client fails over between them).
if [[ -z ${NATS_MANAGER_WS_URL:-} ]]; then
  NATS_MANAGER_WS_URL=$(nunect_node_urls wss "$NUNECT_BASE_NATS_WS_PORT" | tr -d '"' | sed "s#127.0.0.1#$NATS_MANAGER_DOMAIN#g")
  export NATS_MANAGER_WS_URL
fi

# The nodes: all up, then all healthy (a cluster node needs the others for its quorum).
for service in "${NODES[@]}"; do
  STARTED+=("$service")
  start_of "$service" up || nunect_die "could not start $(name_of "$service") (${START_FAILURE:-}); see $(log_of "$service")"
done
for service in "${NODES[@]}"; do
  await_healthy "$service" || nunect_die "$(name_of "$service") did not become healthy (${START_FAILURE:-}); see $(log_of "$service")"
done
for ((i = 1; i <= NATS_CLUSTER_SIZE; i++)); do
  if nunect_is_cluster; then bash "$SCRIPT_DIR/nats-server.sh" status --node "$i" || true; else bash "$SCRIPT_DIR/nats-server.sh" status || true; fi
done
for service in "${SERVICES[@]:${#NODES[@]}}"; do
  STARTED+=("$service")
  start_of "$service" || nunect_die "could not start $(name_of "$service"); see $(log_of "$service")"
done
[[ $NATS_LEAF == 1 ]] && { bash "$SCRIPT_DIR/nats-server.sh" status --leaf | sed -n 1p || true; }

echo
leaf_note=""
[[ $NATS_LEAF == 1 ]] && leaf_note=" and a leaf node ($NATS_LEAF_NAME)"
if nunect_is_cluster; then
  echo "nunect development stack is running: cluster $NATS_CLUSTER_NAME of $NATS_CLUSTER_SIZE nodes$leaf_note (nats-server $NATS_SERVER_VERSION). Ctrl-C stops it."
else
  echo "nunect development stack is running${leaf_note:+ with}${leaf_note# and} (nats-server $NATS_SERVER_VERSION). Ctrl-C stops it."
fi
summary_nats
summary_manager
echo "  Units:     the Controller keeps every unit's state, logs and history in OPS (log: $NATS_RUN_DIR/controller.log);"
echo "             run a program as a unit: npm run guardian -- --unit bridge-1 --user $NATS_BRIDGE_UNIT_USER -- <command>"
echo "             (NATS_PASSWORD=<NATS_BRIDGE_UNIT_PASSWORD>); the page's Units and Logs log in as $NATS_DASHBOARD_USER."
echo "  Crashes:   a service that dies is restarted by itself (log: $SUPERVISOR_LOG);"
echo "             $CRASH_LIMIT crashes within ${CRASH_WINDOW}s stop the stack."

# Supervise: every half second, restart what died.
while true; do
  for service in "${SERVICES[@]}"; do
    pid=${PIDS[$service]:-}
    # (stderr: bash announces a killed child where it reaps it; the supervisor says it better.)
    { nunect_pid_alive "$pid"; } 2>/dev/null && continue
    ((stopping)) && exit 0
    status=0
    { wait "$pid"; } 2>/dev/null || status=$?
    on_crash "$service" "(pid $pid) $(exit_reason "$status")"
  done
  # (stderr: bash would announce a killed child itself; the supervisor says it better.)
  sleep 0.5 &
  wait $! 2>/dev/null || true
done
