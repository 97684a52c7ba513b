#!/usr/bin/env bash
# The nunect development NATS server (config/nats-server.conf, settings from .env).
#
# Usage: nats-server.sh [start|stop|restart|status|check|reload|run]   (default: start)
#   start    validate, start in the background, wait until healthy, print the endpoints
#   run      the same in the foreground (for process managers); logs to stdout and the log
#   stop     stop the server named by the pidfile
#   restart  stop, then start
#   status   running or not (exit 3 when not), pid and endpoints
#   check    validate the configuration with the current settings (nats-server -t)
#   reload   validate, signal a reload and report from the log whether it really worked
# Files: $NATS_RUN_DIR/nats-server.pid and $NATS_RUN_DIR/nats-server.log.
# Config: config/nats-server.conf with NATS_AUTH_MODE=password (default); with
# NATS_AUTH_MODE=operator, $NATS_OPERATOR_DIR/nats-server.conf, which start, run, check and
# reload first (re)generate with scripts/operator.ts (keys kept, .creds in $NATS_CREDS_DIR).
# NUNECT_NATS_CONF may name another config file (used as it is, in either mode).
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

nunect_load_env
cd "$NUNECT_ROOT"
CONF=$(nunect_nats_conf)
PIDFILE=$NATS_RUN_DIR/nats-server.pid
LOG=$NATS_RUN_DIR/nats-server.log

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
  [[ -f $CONF ]] || nunect_die "config file $CONF not found"
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
  for name in NATS_PORT NATS_WS_PORT NATS_HTTPS_PORT; do
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
  cat <<EOF
  NATS client:  nats://$(nunect_url_host "$NATS_HOST"):$NATS_PORT   (plain TCP or TLS)
  WebSocket:    wss://$(nunect_url_host "$NATS_WS_HOST"):$NATS_WS_PORT
  Monitor:      https://$(nunect_url_host "$NATS_HOST"):$NATS_HTTPS_PORT   (/varz, /connz, /healthz; no authentication)
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
    if nunect_healthy; then
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
    echo "Stopping nats-server (pid $pid)"
    stop_pid "$pid"
    rm -f "$PIDFILE"
    echo "Stopped."
  else
    [[ -f $PIDFILE ]] && rm -f "$PIDFILE"
    echo "nats-server is not running (no live server in $PIDFILE)."
  fi
}

do_status() {
  local pid
  if pid=$(nunect_server_pid "$PIDFILE"); then
    print_running "$pid"
    nunect_healthy || echo "  Warning: /healthz does not answer ok."
  else
    echo "nats-server is not running${NATS_RUN_DIR:+ (no live server in $PIDFILE)}."
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

# The config file and the files it includes (one level deep, relative to its folder).
config_files() {
  local inc
  printf '%s\n' "$CONF"
  sed -n -E 's/#.*//; s/^[[:space:]]*include[[:space:]]+["'"'"']?([^"'"'"'[:space:];]+).*/\1/p' "$CONF" |
    while IFS= read -r inc; do
      [[ $inc == /* ]] || inc=$(dirname "$CONF")/$inc
      if [[ -f $inc ]]; then printf '%s\n' "$inc"; fi
    done
}

do_reload() {
  local pid size changed i new
  pid=$(nunect_server_pid "$PIDFILE") || nunect_die "nats-server is not running (no live server in $PIDFILE); use start"
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
      echo "Reloaded the configuration of nats-server (pid $pid):"
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
