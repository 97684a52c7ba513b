#!/usr/bin/env bash
# The nunect development NATS server(s) (config/nats-server.conf, settings from .env).
#
# Usage: nats-server.sh [start|stop|restart|status|check|reload|run] [--node N | --leaf]
#   start    validate, start in the background, wait until healthy, print the endpoints
#   run      the same in the foreground (for process managers); logs to stdout and the log
#   stop     stop the server named by the pidfile
#   restart  stop, then start
#   status   running or not (exit 3 when not), pid and endpoints
#   check    validate the configuration with the current settings (nats-server -t)
#   reload   validate, signal a reload and report from the log whether it really worked
# A dev cluster (NATS_CLUSTER_SIZE > 1) and a leaf node server (NATS_LEAF=1): --node N picks
# node N, --leaf the leaf node server; without either, start, stop, restart, status and reload
# act on every node and then the leaf (run needs one of them).
# Files: $NATS_RUN_DIR/nats-server.pid and .log (one node), nats-server-N.pid and .log (a
# cluster), leaf.pid and leaf.log; topology.conf and leaf.conf, generated.
# Config: config/nats-server.conf with NATS_AUTH_MODE=password (default); with
# NATS_AUTH_MODE=operator, $NATS_OPERATOR_DIR/nats-server.conf, which start, run, check and
# reload first (re)generate with scripts/operator.ts (keys kept, .creds in $NATS_CREDS_DIR).
# A cluster or a leaf node adds $NATS_RUN_DIR/topology.conf (routes, leaf node listener),
# which includes that config. NUNECT_NATS_CONF may name another config file (used as it is).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

STOP_TIMEOUT=10   # seconds between SIGTERM and SIGKILL
START_TIMEOUT=15  # seconds to wait for /healthz
RELOAD_TIMEOUT=5  # seconds to wait for the reload outcome in the log
LOG_ROTATE_BYTES=$((10 * 1024 * 1024))

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; }

cmd=${1:-start}
case $cmd in
  start | stop | restart | status | check | reload | run) ;;
  -h | --help | help) usage; exit 0 ;;
  *) echo "nats-server.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
esac
target=""
case ${2:-} in
  "") ;;
  --leaf) target=leaf ;;
  --node) [[ ${3:-} =~ ^[1-9]$ ]] || { echo "nats-server.sh: --node needs a node number" >&2; exit 2; }; target=$3 ;;
  *) echo "nats-server.sh: unknown option '$2'" >&2; usage >&2; exit 2 ;;
esac
[[ -z $target ]] || export NUNECT_NODE=$target

nunect_load_env
cd "$NUNECT_ROOT"

# Every node, then the leaf: one command each, in turn (the status of all is 3 if one is down).
if [[ -z $target ]] && nunect_has_topology && [[ $cmd != check ]]; then
  [[ $cmd != run ]] || nunect_die "run starts one server in the foreground: add --node N or --leaf"
  status=0
  nodes=$(seq 1 "$NATS_CLUSTER_SIZE")
  [[ $cmd == stop ]] && nodes=$(seq "$NATS_CLUSTER_SIZE" -1 1)
  [[ $NATS_LEAF == 1 && $cmd == stop ]] && { bash "$0" stop --leaf || status=$?; }
  if [[ $cmd == start || $cmd == restart ]]; then
    # Every node up first, then all of them healthy (a node needs the others for its quorum).
    for i in $nodes; do NUNECT_START_WAIT=up bash "$0" "$cmd" --node "$i" >/dev/null || status=$?; done
    ((status == 0)) || { bash "$0" stop >/dev/null 2>&1; exit "$status"; }
    for i in $nodes; do
      nunect_use_node "$i"
      for ((t = 0; t < START_TIMEOUT * 5; t++)); do nunect_healthy && break; sleep 0.2; done
      nunect_healthy || { echo "nats-server.sh: node $i did not become healthy within ${START_TIMEOUT}s (see $NUNECT_LOG)" >&2; status=1; }
    done
    ((status == 0)) || exit "$status"
    for i in $nodes; do bash "$0" status --node "$i" || status=$?; done
  else
    for i in $nodes; do bash "$0" "$cmd" --node "$i" || status=$?; done
  fi
  [[ $NATS_LEAF == 1 && $cmd != stop ]] && { bash "$0" "$cmd" --leaf || status=$?; }
  exit "$status"
fi

BASE_CONF=$(nunect_nats_conf)
CONF=$BASE_CONF
PIDFILE=$NUNECT_PIDFILE
LOG=$NUNECT_LOG
WHO=nats-server
[[ $NUNECT_NODE == leaf ]] && WHO="the leaf node server"
nunect_is_cluster && [[ $NUNECT_NODE != leaf ]] && WHO="nats-server node $NUNECT_NODE"

# --- helpers ----------------------------------------------------------------------------

ensure_certs() {
  if nunect_uses_dev_certs; then
    bash "$SCRIPT_DIR/dev-certs.sh" --quiet "$NATS_CERT_DIR"
  else
    local f
    for f in "$NATS_TLS_CERT" "$NATS_TLS_KEY"; do
      [[ -r $f ]] || nunect_die "TLS file $f (from NATS_TLS_CERT/NATS_TLS_KEY) is not readable"
    done
  fi
}

# Certificates, binary, folders and (operator mode) the generated config: everything a
# start, run, check or reload needs.
prepare() {
  if [[ $NATS_AUTH_MODE == operator && -z ${NUNECT_NATS_CONF:-} ]]; then
    nunect_operator_generate --quiet
  fi
  [[ -f $BASE_CONF ]] || nunect_die "config file $BASE_CONF not found"
  if [[ $NUNECT_NODE == leaf ]]; then
    CONF=$(nunect_write_leaf_conf)
  elif nunect_has_topology && [[ -z ${NUNECT_NATS_CONF:-} ]]; then
    CONF=$(nunect_write_topology_conf "$BASE_CONF")
  fi
  ensure_certs
  nunect_find_nats_server
  mkdir -p "$NATS_JETSTREAM_DIR" "$NATS_RUN_DIR"
}

# Validate the config with the current environment; print the server's message on failure.
check_config() {
  local out
  if ! out=$("$NATS_SERVER_BIN" -c "$CONF" -t 2>&1); then
    echo "nats-server.sh: invalid configuration ($CONF):" >&2
    printf '%s\n' "$out" >&2
    exit 1
  fi
  [[ ${1:-} == quiet ]] || printf '%s\n' "$out"
}

# SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL (that pid only).
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    nunect_pid_alive "$pid" || return 0
    sleep 0.1
  done
  echo "nats-server (pid $pid) did not stop within ${STOP_TIMEOUT}s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    nunect_pid_alive "$pid" || return 0
    sleep 0.1
  done
  nunect_die "nats-server (pid $pid) is still running after SIGKILL"
}

# An earlier server of ours (pidfile) is stopped; a stale pidfile is removed.
clear_previous() {
  local pid
  if pid=$(nunect_server_pid "$PIDFILE"); then
    echo "Stopping the nats-server started earlier from this folder (pid $pid)"
    stop_pid "$pid"
    rm -f "$PIDFILE"
  elif [[ -f $PIDFILE ]]; then
    rm -f "$PIDFILE" # the process is gone (or the pid now belongs to another program)
  fi
}

# Every configured port must be free; never touch whoever holds one.
check_ports() {
  local name port holder failed=0 seen=" "
  local names=(NATS_PORT NATS_WS_PORT NATS_HTTPS_PORT)
  [[ $NUNECT_NODE == leaf ]] && names=(NATS_PORT NATS_HTTPS_PORT)
  if [[ $NUNECT_NODE != leaf ]]; then
    nunect_is_cluster && names+=(NATS_CLUSTER_PORT)
    [[ $NATS_LEAF == 1 ]] && names+=(NATS_LEAFNODE_PORT)
  fi
  for name in "${names[@]}"; do
    port=${!name}
    if [[ ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
      echo "nats-server.sh: $name=$port is not a valid port" >&2
      failed=1
      continue
    fi
    if [[ $seen == *" $port "* ]]; then
      echo "nats-server.sh: $name=$port is used twice in the settings; give each port its own number" >&2
      failed=1
      continue
    fi
    seen+="$port "
    if nunect_port_in_use "$port"; then
      holder=$(nunect_port_holder "$port" | paste -sd ';' - | sed 's/;/; /g')
      echo "nats-server.sh: port $port ($name) is already in use${holder:+ by $holder}." >&2
      echo "  Stop that program, or set another $name in $NUNECT_ENV_FILE (or the environment)." >&2
      failed=1
    fi
  done
  ((failed == 0)) || exit 1
}

# A string field of the pretty-printed /varz JSON.
varz_field() { sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" <<<"$2" | head -n 1; }

file_size() { if [[ -f $1 ]]; then stat -c %s "$1"; else echo 0; fi; }

print_endpoints() {
  local auth="password (users and passwords in $NUNECT_ENV_FILE)"
  [[ $NATS_AUTH_MODE == operator ]] && auth="operator (JWT); credentials: $NATS_CREDS_DIR/<user>.creds"
  [[ $NUNECT_NODE == leaf ]] && auth="its own account EDGE (user $NATS_EDGE_USER, NATS_EDGE_PASSWORD in $NUNECT_ENV_FILE); linked to BRIDGE and SYS of the cluster"
  echo "  NATS client:  nats://$(nunect_url_host "$NATS_HOST"):$NATS_PORT   (plain TCP or TLS)"
  [[ $NUNECT_NODE == leaf ]] || echo "  WebSocket:    wss://$(nunect_url_host "$NATS_WS_HOST"):$NATS_WS_PORT"
  echo "  Monitor:      https://$(nunect_url_host "$NATS_HOST"):$NATS_HTTPS_PORT   (/varz, /connz, /healthz; no authentication)"
  if [[ $NUNECT_NODE != leaf ]] && nunect_is_cluster; then
    echo "  Cluster:      $NATS_CLUSTER_NAME, routes on $(nunect_url_host "$NATS_HOST"):$NATS_CLUSTER_PORT"
  fi
  cat <<EOF
  Auth:         $auth
  Config:       $CONF
  Log:          $LOG
EOF
}

print_running() {
  local pid=$1 varz name version
  varz=$(nunect_monitor_get /varz 2>/dev/null || true)
  name=$(varz_field server_name "$varz")
  version=$(varz_field version "$varz")
  echo "nats-server ${name:-$NATS_SERVER_NAME} ${version:+(v$version) }is running, pid $pid"
  print_endpoints
}

# --- commands ---------------------------------------------------------------------------

do_check() {
  prepare
  check_config
}

do_start() {
  local launched pid="" i log_start why=""
  prepare
  check_config quiet
  clear_previous
  check_ports

  # Keep the log from growing forever: one old copy.
  if (($(file_size "$LOG") > LOG_ROTATE_BYTES)); then
    mv -f "$LOG" "$LOG.1"
  fi
  log_start=$(file_size "$LOG")

  # Detached: own session, no terminal, survives this script. Early errors go to the log too.
  # shellcheck disable=SC2094 # both append to the log
  setsid nohup "$NATS_SERVER_BIN" -c "$CONF" -P "$PIDFILE" -l "$LOG" </dev/null >>"$LOG" 2>&1 &
  launched=$!
  # Interrupted before it is up: do not leave a half-started server behind.
  trap 'echo "Interrupted; stopping the server being started (pid $launched)" >&2; stop_pid "$launched"; rm -f "$PIDFILE"; exit 130' INT TERM HUP

  for ((i = 0; i < START_TIMEOUT * 5; i++)); do
    [[ -z $pid ]] && pid=$(nunect_server_pid "$PIDFILE" || true)
    # A cluster node cannot be healthy before the others are up (JetStream needs a quorum):
    # NUNECT_START_WAIT=up waits only until it serves its monitor port; the caller waits for health.
    if { [[ ${NUNECT_START_WAIT:-healthy} == up ]] && nunect_monitor_get /varz >/dev/null 2>&1; } || nunect_healthy; then
      [[ -n $pid ]] || pid=$(nunect_server_pid "$PIDFILE" || true)
      trap - INT TERM HUP
      print_running "${pid:-$launched}"
      return 0
    fi
    if ! nunect_pid_alive "$launched" && { [[ -z $pid ]] || ! nunect_pid_alive "$pid"; }; then
      why="exited during start-up"
      break
    fi
    sleep 0.2
  done

  echo "nats-server.sh: the server ${why:-did not become healthy within ${START_TIMEOUT}s}. Last log lines:" >&2
  tail -c +"$((log_start + 1))" "$LOG" | tail -n 20 >&2
  for i in "$pid" "$launched"; do
    if [[ -n $i ]] && nunect_pid_alive "$i"; then stop_pid "$i"; fi
  done
  rm -f "$PIDFILE"
  exit 1
}

do_run() {
  prepare
  check_config quiet
  clear_previous
  check_ports
  echo "Starting nats-server in the foreground (log also in $LOG)"
  print_endpoints
  # Output to stdout and the log file (reload reads it); tee ignores Ctrl-C and hangups so
  # the server's last lines still get through while it shuts down.
  exec > >(trap '' INT TERM HUP; exec tee -a "$LOG") 2>&1
  exec "$NATS_SERVER_BIN" -c "$CONF" -P "$PIDFILE"
}

do_stop() {
  local pid
  if pid=$(nunect_server_pid "$PIDFILE"); then
    echo "Stopping $WHO (pid $pid)"
    stop_pid "$pid"
    rm -f "$PIDFILE"
    echo "Stopped."
  else
    [[ -f $PIDFILE ]] && rm -f "$PIDFILE"
    echo "$WHO is not running (no live server in $PIDFILE)."
  fi
}

do_status() {
  local pid
  if pid=$(nunect_server_pid "$PIDFILE"); then
    print_running "$pid"
    nunect_healthy || echo "  Warning: /healthz does not answer ok."
  else
    echo "$WHO is not running${NATS_RUN_DIR:+ (no live server in $PIDFILE)}."
    return 3
  fi
}

# Settings the config reads from the environment whose value differs from the one the
# running server started with (a reload re-reads the file, not the environment).
changed_env() {
  local pid=$1 key kv
  local -A started=()
  [[ -r /proc/$pid/environ ]] || return 0
  while IFS= read -r -d '' kv; do
    started[${kv%%=*}]=${kv#*=}
  done <"/proc/$pid/environ"
  # Unquoted $NAME references only ("$SYS.…" subjects in quotes are not variables).
  for key in $(config_files | while IFS= read -r f; do sed 's/#.*//; s/"[^"]*"//g' "$f"; done |
    grep -o '\$[A-Za-z_][A-Za-z0-9_]*' | tr -d '$' | sort -u); do
    [[ ${started[$key]-} == "${!key-}" ]] || echo "$key"
  done
}

# The config file and the files it includes (recursively, each relative to its own folder).
config_files() {
  local file=${1:-$CONF} inc
  printf '%s\n' "$file"
  sed -n -E 's/#.*//; s/^[[:space:]]*include[[:space:]]+["'"'"']?([^"'"'"'[:space:];]+).*/\1/p' "$file" |
    while IFS= read -r inc; do
      [[ $inc == /* ]] || inc=$(dirname "$file")/$inc
      if [[ -f $inc ]]; then config_files "$inc"; fi
    done
}

do_reload() {
  local pid size changed i new
  pid=$(nunect_server_pid "$PIDFILE") || nunect_die "$WHO is not running (no live server in $PIDFILE); use start"
  prepare
  changed=$(changed_env "$pid" | paste -sd ' ' -)
  if [[ -n $changed ]]; then
    echo "nats-server.sh: changed since the server started: $changed." >&2
    echo "  The server reads these from its environment, which a reload cannot change." >&2
    echo "  Run: bash scripts/nats-server.sh restart" >&2
    exit 1
  fi
  check_config quiet
  size=$(file_size "$LOG")
  kill -HUP "$pid"
  for ((i = 0; i < RELOAD_TIMEOUT * 10; i++)); do
    sleep 0.1
    (($(file_size "$LOG") < size)) && size=0 # log rotated/truncated
    new=$(tail -c +"$((size + 1))" "$LOG" 2>/dev/null || true)
    if grep -q 'Failed to reload server configuration' <<<"$new"; then
      echo "nats-server.sh: the server (pid $pid) refused the reload and keeps its old configuration:" >&2
      grep -o 'Failed to reload server configuration.*' <<<"$new" | cut -c1-300 | sed 's/^/  /' >&2
      if grep -q 'TrustedOperators' <<<"$new"; then
        echo "  The operator changed (new keys or name); a running server cannot take a new operator." >&2
        echo "  Run: bash scripts/nats-server.sh restart" >&2
      fi
      exit 1
    fi
    if grep -q 'Reloaded server configuration' <<<"$new"; then
      echo "Reloaded the configuration of $WHO (pid $pid):"
      grep -o 'Reloaded: .*' <<<"$new" | sed 's/^Reloaded: /  /' || true
      return 0
    fi
  done
  nunect_die "no reload outcome in $LOG within ${RELOAD_TIMEOUT}s (pid $pid)"
}

case $cmd in
  start) do_start ;;
  run) do_run ;;
  stop) do_stop ;;
  restart) do_stop && do_start ;;
  status) do_status ;;
  check) do_check ;;
  reload) do_reload ;;
esac
