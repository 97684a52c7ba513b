# shellcheck shell=bash
# Shared helpers for the nunect scripts. Source it; it defines functions only:
#   nunect_root, nunect_load_env, nunect_nats_conf, nunect_find_nats_server,
#   nunect_port_holder, nunect_port_in_use, plus small helpers (nunect_log, nunect_die, ...).
# Messages go to stderr so that stdout stays usable for data (e.g. dev-certs.sh --spki).

# Where this file lives, resolved once when sourced.
NUNECT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Pinned versions (NUNECT_NATS_SERVER_VERSION, ...): config/versions.env, the one place for them.
# shellcheck source=../config/versions.env
source "$NUNECT_LIB_DIR/../config/versions.env"

# Built-in defaults, the same as .env.example (used when a key is missing or empty).
NUNECT_DEFAULTS=(
  NATS_SERVER_NAME=nunect-dev
  NATS_HOST=127.0.0.1
  NATS_PORT=4222
  NATS_WS_HOST=127.0.0.1
  NATS_WS_PORT=8443
  NATS_WS_COMPRESSION=true
  NATS_WS_ADVERTISE_HOST=
  NATS_HTTPS_PORT=8444
  NATS_JETSTREAM_DIR=./data/jetstream
  NATS_RUN_DIR=./data/run
  NATS_SERVER_BIN=
  NATS_CERT_DIR=./certs
  NATS_TLS_CA=./certs/ca.pem
  NATS_TLS_CERT=./certs/server.pem
  NATS_TLS_KEY=./certs/server-key.pem
  NATS_AUTH_MODE=password
  NATS_OPERATOR_NAME=nunect
  NATS_OPERATOR_DIR=./data/operator
  NATS_CREDS_DIR=./data/creds
  NATS_SYS_USER=sys
  NATS_SYS_PASSWORD=
  NATS_MONITOR_USER=monitor
  NATS_MONITOR_PASSWORD=
  NATS_ADMIN_USER=admin
  NATS_ADMIN_PASSWORD=
  NATS_BRIDGE_USER=bridge
  NATS_BRIDGE_PASSWORD=
  NATS_BRIDGE_SERVICE_USER=bridge-service
  NATS_BRIDGE_SERVICE_PASSWORD=
  NATS_LOGGER_USER=logger
  NATS_LOGGER_PASSWORD=
  NATS_LOGGER_UNIT=bridge-1
  NATS_ENGINE_USER=engine
  NATS_ENGINE_PASSWORD=
  NATS_ENGINE_SERVICE_USER=engine-service
  NATS_ENGINE_SERVICE_PASSWORD=
  NATS_PROVISION_USER=provision
  NATS_PROVISION_PASSWORD=
  NATS_PROVISION_SERVICE_USER=provision-service
  NATS_PROVISION_SERVICE_PASSWORD=
  NATS_MANAGER_DOMAIN=localhost
  NATS_MANAGER_BIND=127.0.0.1
  NATS_MANAGER_PORT=4280
  NATS_MANAGER_CORS_ORIGINS=
  NATS_CLUSTER_SIZE=1
  NATS_CLUSTER_NAME=nunect
  NATS_CLUSTER_PORT=6222
  NATS_LEAFNODE_PORT=7422
  NATS_PORT_STEP=10
  NATS_LEAF=0
  NATS_LEAF_NAME=nunect-edge
  NATS_LEAF_PORT=4292
  NATS_LEAF_HTTPS_PORT=8494
  NATS_BRIDGE_UNIT_USER=bridge-unit
  NATS_BRIDGE_UNIT_PASSWORD=
  NATS_BRIDGE_UNIT=bridge-1
  NATS_ENGINE_UNIT_USER=engine-unit
  NATS_ENGINE_UNIT_PASSWORD=
  NATS_ENGINE_UNIT=engine-1
  NATS_PROVISION_UNIT_USER=provision-unit
  NATS_PROVISION_UNIT_PASSWORD=
  NATS_PROVISION_UNIT=provision-1
  NATS_OPS_USER=ops
  NATS_OPS_PASSWORD=
  NATS_CONTROLLER_USER=controller
  NATS_CONTROLLER_PASSWORD=
  NATS_DASHBOARD_USER=dashboard
  NATS_DASHBOARD_PASSWORD=
  NATS_LOG_MAX_AGE=7d
  NATS_LOG_MAX_BYTES=256MB
  NATS_BRIDGE_VIEWER_USER=bridge-viewer
  NATS_BRIDGE_VIEWER_PASSWORD=
  NATS_LEAF_USER=leaf
  NATS_LEAF_PASSWORD=
  NATS_EDGE_USER=edge
  NATS_EDGE_PASSWORD=
)

# Settings holding paths; relative values are taken relative to the repository root.
NUNECT_PATH_KEYS=(NATS_JETSTREAM_DIR NATS_RUN_DIR NATS_CERT_DIR NATS_TLS_CA NATS_TLS_CERT NATS_TLS_KEY
  NATS_OPERATOR_DIR NATS_CREDS_DIR)

# Password of every user of config/nats-server.conf (password mode).
NUNECT_PASSWORD_KEYS=(NATS_SYS_PASSWORD NATS_MONITOR_PASSWORD NATS_ADMIN_PASSWORD NATS_BRIDGE_PASSWORD
  NATS_BRIDGE_SERVICE_PASSWORD NATS_LOGGER_PASSWORD NATS_ENGINE_PASSWORD
  NATS_ENGINE_SERVICE_PASSWORD NATS_PROVISION_PASSWORD NATS_PROVISION_SERVICE_PASSWORD
  NATS_LEAF_PASSWORD NATS_EDGE_PASSWORD NATS_BRIDGE_UNIT_PASSWORD NATS_ENGINE_UNIT_PASSWORD
  NATS_PROVISION_UNIT_PASSWORD NATS_OPS_PASSWORD NATS_CONTROLLER_PASSWORD NATS_DASHBOARD_PASSWORD
  NATS_BRIDGE_VIEWER_PASSWORD)

nunect_log() { printf 'nunect: %s\n' "$*" >&2; }
nunect_die() { printf 'nunect: error: %s\n' "$*" >&2; exit 1; }

# The repository root (the folder above scripts/).
nunect_root() {
  (cd "$NUNECT_LIB_DIR/.." && pwd)
}

# A random alphanumeric password of 24 characters that starts with a letter
# (so nats-server never reads it as a number).
nunect_random_password() {
  local s=""
  while ((${#s} < 24)); do
    if [[ -r /dev/urandom ]]; then
      s+=$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
    else
      s+=$(openssl rand 512 | LC_ALL=C tr -dc 'A-Za-z0-9')
    fi
    s=${s#"${s%%[A-Za-z]*}"} # drop leading digits
  done
  printf '%s\n' "${s:0:24}"
}

# Make sure every *_PASSWORD key of .env.example has a non-empty value in the env file:
# empty ones are filled in place, missing ones appended. Prints the keys it generated.
nunect_fill_passwords() {
  local env_file=$1 example=$2 line key value tmp generated=()
  [[ -f $example ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*_PASSWORD)= ]] || continue
    key=${BASH_REMATCH[1]}
    if grep -Eq "^${key}=.+" "$env_file"; then
      continue
    fi
    value=$(nunect_random_password)
    if grep -Eq "^${key}=[[:space:]]*$" "$env_file"; then
      tmp=$(mktemp "$env_file.XXXXXX")
      awk -v k="$key" -v v="$value" '$0 ~ "^" k "=[[:space:]]*$" { print k "=" v; next } { print }' \
        "$env_file" >"$tmp"
      chmod 600 "$tmp"
      mv "$tmp" "$env_file"
    else
      # Append on a line of its own even if the file lacks a final newline.
      [[ -s $env_file && -n $(tail -c 1 "$env_file") ]] && printf '\n' >>"$env_file"
      printf '%s=%s\n' "$key" "$value" >>"$env_file"
    fi
    generated+=("$key")
  done <"$example"
  ((${#generated[@]} == 0)) || printf '%s\n' "${generated[@]}"
}

# Create .env if missing, load it (environment values win), apply defaults, make paths
# absolute and export everything. NUNECT_ENV_FILE may point to another env file.
nunect_load_env() {
  local root env_file example line key value kv added
  root=$(nunect_root)
  env_file=${NUNECT_ENV_FILE:-$root/.env}
  example=$root/.env.example

  if [[ ! -f $env_file ]]; then
    [[ -f $example ]] || nunect_die "neither $env_file nor $example exists"
    (umask 077 && cp "$example" "$env_file")
    chmod 600 "$env_file"
    nunect_fill_passwords "$env_file" "$example" >/dev/null
    nunect_log "created $env_file from .env.example with random development passwords (the *_PASSWORD lines)"
  else
    added=$(nunect_fill_passwords "$env_file" "$example")
    if [[ -n $added ]]; then
      nunect_log "added generated values to $env_file for: $(printf '%s' "$added" | tr '\n' ' ')"
    fi
  fi

  # KEY=VALUE lines; comments and blanks ignored; optional surrounding quotes removed;
  # the last line for a key counts. A non-empty value already in the environment wins.
  local -A from_file=()
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ ! $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
      nunect_log "warning: ignoring malformed line in $env_file: $line"
      continue
    fi
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"[[:space:]]*$ || $value =~ ^\'(.*)\'[[:space:]]*$ ]]; then
      value=${BASH_REMATCH[1]}
    else
      value=${value%"${value##*[![:space:]]}"} # trim trailing blanks
    fi
    from_file[$key]=$value
  done <"$env_file"
  for key in "${!from_file[@]}"; do
    [[ -n ${!key:-} ]] || printf -v "$key" '%s' "${from_file[$key]}"
    export "${key?}"
  done

  # Defaults for anything still missing or empty.
  for kv in "${NUNECT_DEFAULTS[@]}"; do
    key=${kv%%=*}
    value=${kv#*=}
    [[ -n ${!key:-} ]] || printf -v "$key" '%s' "$value"
    export "${key?}"
  done

  # Relative paths are relative to the repository root.
  for key in "${NUNECT_PATH_KEYS[@]}"; do
    value=${!key}
    value=${value#./}
    [[ $value == /* ]] || printf -v "$key" '%s' "$root/$value"
    export "${key?}"
  done

  case $NATS_AUTH_MODE in
    password)
      for key in "${NUNECT_PASSWORD_KEYS[@]}"; do
        [[ -n ${!key} ]] || nunect_die "$key is empty (set it in $env_file)"
      done
      ;;
    operator) ;;
    *) nunect_die "NATS_AUTH_MODE=$NATS_AUTH_MODE: use password or operator (in $env_file)" ;;
  esac
  # The logger user may publish only its own unit's records (config/permissions.conf).
  [[ $NATS_LOGGER_UNIT =~ ^[A-Za-z0-9_-]+$ ]] ||
    nunect_die "NATS_LOGGER_UNIT=$NATS_LOGGER_UNIT must be one subject token (letters, digits, _ and -)"
  export NATS_LOGGER_PUBLISH="ops.log.*.$NATS_LOGGER_UNIT"
  # Each restricted user reads only its own reply inbox, _INBOX_<user>.> (config/permissions.conf).
  local role user_key
  # A unit's subjects: its logs, its heartbeat and its endpoints (config/permissions.conf).
  local unit_key
  for role in BRIDGE ENGINE PROVISION; do
    unit_key=NATS_${role}_UNIT
    [[ ${!unit_key} =~ ^[A-Za-z0-9_-]+$ ]] || nunect_die "$unit_key=${!unit_key} must be one subject token (letters, digits, _ and -)"
    export "NATS_${role}_UNIT_LOGS=ops.log.*.${!unit_key}" "NATS_${role}_UNIT_HEALTH=ops.health.${!unit_key}" \
      "NATS_${role}_UNIT_ENDPOINTS=ops.unit.${!unit_key}.>"
  done
  for role in MONITOR ADMIN BRIDGE_SERVICE ENGINE_SERVICE PROVISION_SERVICE BRIDGE_UNIT ENGINE_UNIT PROVISION_UNIT DASHBOARD BRIDGE_VIEWER; do
    user_key=NATS_${role}_USER
    [[ ${!user_key} =~ ^[A-Za-z0-9_-]+$ ]] ||
      nunect_die "$user_key=${!user_key} must be one subject token (letters, digits, _ and -): it names the user's inbox"
    export "NATS_${role}_INBOX=_INBOX_${!user_key}.>"
  done
  [[ $NATS_CLUSTER_SIZE =~ ^[1-9]$ ]] || nunect_die "NATS_CLUSTER_SIZE=$NATS_CLUSTER_SIZE: use 1 (one server) to 9 (in $env_file)"
  [[ $NATS_LEAF == 0 || $NATS_LEAF == 1 ]] || nunect_die "NATS_LEAF=$NATS_LEAF: use 0 or 1 (in $env_file)"
  [[ $NATS_PORT_STEP =~ ^[1-9][0-9]*$ ]] || nunect_die "NATS_PORT_STEP=$NATS_PORT_STEP is not a number"
  # Node 1's settings, from which every node's are derived (nunect_use_node).
  local base
  for key in NATS_SERVER_NAME NATS_PORT NATS_WS_PORT NATS_HTTPS_PORT NATS_CLUSTER_PORT NATS_LEAFNODE_PORT NATS_JETSTREAM_DIR; do
    base=NUNECT_BASE_$key
    [[ -n ${!base:-} ]] || export "$base=${!key}"
  done
  export NUNECT_ROOT=$root NUNECT_ENV_FILE=$env_file
  if [[ ${NUNECT_NODE:-1} == leaf ]]; then nunect_use_leaf; else nunect_use_node "${NUNECT_NODE:-1}"; fi
}

# --- topology: the nodes of the dev cluster and the leaf node ------------------------------
# NATS_CLUSTER_SIZE nodes on this machine: node i's ports are node 1's plus (i-1)*NATS_PORT_STEP,
# its name NATS_SERVER_NAME-i, its JetStream store NATS_JETSTREAM_DIR/node-i, its files
# nats-server-i.pid/.log. One node (the default) keeps the plain names. NATS_LEAF=1 adds a leaf
# node server (NATS_LEAF_NAME; its local account EDGE is BRIDGE in the cluster).

nunect_is_cluster() { ((NATS_CLUSTER_SIZE > 1)); }
# Whether the servers need the generated topology config (routes and/or a leaf node listener).
nunect_has_topology() { nunect_is_cluster || [[ $NATS_LEAF == 1 ]]; }

# Points the settings at node i (exports the ports, name, store and file names of that node).
nunect_use_node() {
  local i=$1 off
  ((i >= 1 && i <= NATS_CLUSTER_SIZE)) || nunect_die "node $i: the cluster has $NATS_CLUSTER_SIZE node(s) (NATS_CLUSTER_SIZE)"
  off=$(((i - 1) * NATS_PORT_STEP))
  export NUNECT_NODE=$i
  export NATS_PORT=$((NUNECT_BASE_NATS_PORT + off)) NATS_WS_PORT=$((NUNECT_BASE_NATS_WS_PORT + off))
  export NATS_HTTPS_PORT=$((NUNECT_BASE_NATS_HTTPS_PORT + off)) NATS_CLUSTER_PORT=$((NUNECT_BASE_NATS_CLUSTER_PORT + off))
  export NATS_LEAFNODE_PORT=$((NUNECT_BASE_NATS_LEAFNODE_PORT + off))
  export NATS_WS_ADVERTISE=${NATS_WS_ADVERTISE_HOST:-${NATS_MANAGER_DOMAIN:-localhost}}:$NATS_WS_PORT
  if nunect_is_cluster; then
    export NATS_SERVER_NAME=$NUNECT_BASE_NATS_SERVER_NAME-$i NATS_JETSTREAM_DIR=$NUNECT_BASE_NATS_JETSTREAM_DIR/node-$i
    export NUNECT_PIDFILE=$NATS_RUN_DIR/nats-server-$i.pid NUNECT_LOG=$NATS_RUN_DIR/nats-server-$i.log
  else
    export NATS_SERVER_NAME=$NUNECT_BASE_NATS_SERVER_NAME NATS_JETSTREAM_DIR=$NUNECT_BASE_NATS_JETSTREAM_DIR
    export NUNECT_PIDFILE=$NATS_RUN_DIR/nats-server.pid NUNECT_LOG=$NATS_RUN_DIR/nats-server.log
  fi
}

# Points the settings at the leaf node server (its ports and files; config: nunect_write_leaf_conf).
nunect_use_leaf() {
  export NUNECT_NODE=leaf NATS_SERVER_NAME=$NATS_LEAF_NAME NATS_PORT=$NATS_LEAF_PORT NATS_HTTPS_PORT=$NATS_LEAF_HTTPS_PORT
  export NUNECT_PIDFILE=$NATS_RUN_DIR/leaf.pid NUNECT_LOG=$NATS_RUN_DIR/leaf.log
}

# "host:port" URLs of every cluster node for a base port setting, with a scheme and userinfo.
nunect_node_urls() {
  local scheme=$1 base=$2 userinfo=${3:-} i host
  host=$(nunect_connect_host "$NATS_HOST")
  [[ $host == *:* ]] && host="[$host]"
  for ((i = 0; i < NATS_CLUSTER_SIZE; i++)); do
    printf '"%s://%s%s:%s"\n' "$scheme" "$userinfo" "$host" "$((base + i * NATS_PORT_STEP))"
  done | paste -sd ',' - | sed 's/,/, /g'
}

# Writes $NATS_RUN_DIR/topology.conf: the mode's server config (included) plus the routes of
# the cluster and the leaf node listener. Every node runs it; their settings differ.
nunect_write_topology_conf() {
  local base=$1 out=$NATS_RUN_DIR/topology.conf rel tmp
  mkdir -p "$NATS_RUN_DIR"
  # nats-server resolves includes relative to the including file (absolute paths do not work).
  rel=$(realpath --relative-to="$NATS_RUN_DIR" "$base")
  tmp=$(mktemp "$out.XXXXXX")
  {
    echo "# Generated by scripts/nats-server.sh from $base and the cluster settings"
    echo "# (NATS_CLUSTER_SIZE=$NATS_CLUSTER_SIZE, NATS_LEAF=$NATS_LEAF). Do not edit."
    echo "include \"$rel\""
    if nunect_is_cluster; then
      echo "cluster {"
      echo "  name: \$NATS_CLUSTER_NAME"
      echo "  host: \$NATS_HOST"
      echo "  port: \$NATS_CLUSTER_PORT"
      echo "  routes: [ $(nunect_node_urls nats-route "$NUNECT_BASE_NATS_CLUSTER_PORT") ]"
      echo "}"
    fi
    if [[ $NATS_LEAF == 1 ]]; then
      echo "# Leaf node servers connect here, as a user of this config (NATS_LEAF_USER, NATS_SYS_USER)."
      echo "leafnodes {"
      echo "  host: \$NATS_HOST"
      echo "  port: \$NATS_LEAFNODE_PORT"
      echo "}"
    fi
  } >"$tmp"
  mv -f "$tmp" "$out"
  printf '%s\n' "$out"
}

# Writes $NATS_RUN_DIR/leaf.conf (mode 600: in password mode it holds the leaf users' passwords):
# a leaf node server with its own account EDGE (user NATS_EDGE_USER), linked to BRIDGE of the
# cluster as NATS_LEAF_USER and to the system account as NATS_SYS_USER, so that it answers the
# cluster's $SYS surveys and appears in every widget.
nunect_write_leaf_conf() {
  local out=$NATS_RUN_DIR/leaf.conf tmp edge sys
  mkdir -p "$NATS_RUN_DIR"
  if [[ $NATS_AUTH_MODE == operator ]]; then
    edge="urls: [ $(nunect_node_urls nats-leaf "$NUNECT_BASE_NATS_LEAFNODE_PORT") ], credentials: \"$NATS_CREDS_DIR/$NATS_LEAF_USER.creds\""
    sys="urls: [ $(nunect_node_urls nats-leaf "$NUNECT_BASE_NATS_LEAFNODE_PORT") ], credentials: \"$NATS_CREDS_DIR/$NATS_SYS_USER.creds\""
  else
    edge="urls: [ $(nunect_node_urls nats-leaf "$NUNECT_BASE_NATS_LEAFNODE_PORT" "$NATS_LEAF_USER:$NATS_LEAF_PASSWORD@") ]"
    sys="urls: [ $(nunect_node_urls nats-leaf "$NUNECT_BASE_NATS_LEAFNODE_PORT" "$NATS_SYS_USER:$NATS_SYS_PASSWORD@") ]"
  fi
  tmp=$(umask 077 && mktemp "$out.XXXXXX")
  cat >"$tmp" <<EOF
# Generated by scripts/nats-server.sh (NATS_LEAF=1). Do not edit: it may hold passwords.
server_name: \$NATS_LEAF_NAME
host: \$NATS_HOST
port: \$NATS_LEAF_PORT
https_port: \$NATS_LEAF_HTTPS_PORT
tls {
  cert_file: \$NATS_TLS_CERT
  key_file: \$NATS_TLS_KEY
}
allow_non_tls: true
accounts {
  SYS: {}
  EDGE: { users: [ { user: \$NATS_EDGE_USER, password: \$NATS_EDGE_PASSWORD } ] }
}
system_account: SYS
leafnodes {
  remotes: [
    { $edge, account: EDGE }
    { $sys, account: SYS }
  ]
}
EOF
  chmod 600 "$tmp"
  mv -f "$tmp" "$out"
  printf '%s\n' "$out"
}

# The server configuration for NATS_AUTH_MODE (after nunect_load_env): config/nats-server.conf
# in password mode, the one scripts/operator.ts generates in operator mode. NUNECT_NATS_CONF
# names another file in either mode.
nunect_nats_conf() {
  local conf
  if [[ -n ${NUNECT_NATS_CONF:-} ]]; then
    conf=$NUNECT_NATS_CONF
  elif [[ $NATS_AUTH_MODE == operator ]]; then
    conf=$NATS_OPERATOR_DIR/nats-server.conf
  else
    conf=$NUNECT_ROOT/config/nats-server.conf
  fi
  [[ $conf == /* ]] || conf=$NUNECT_ROOT/$conf
  printf '%s\n' "$conf"
}

# Operator mode: (re)writes the operator, account and user JWTs, the .creds files and the
# server configuration from the current settings, keeping existing keys. Extra arguments go
# to scripts/operator.ts (e.g. --rotate, --quiet).
nunect_operator_generate() {
  (cd "$NUNECT_ROOT" && node --import tsx "$NUNECT_LIB_DIR/operator.ts" "$@") ||
    nunect_die "could not generate the operator-mode configuration (scripts/operator.ts)"
}

# True when version $1 (e.g. 2.9.10 or v2.15.2) is at least $2.
nunect_version_ge() {
  local a=${1#v} b=${2#v}
  [[ $(printf '%s\n%s\n' "$b" "$a" | sort -V | head -n 1) == "$b" ]]
}

# The version a nats-server binary reports (2.15.2), or nothing.
nunect_server_version() {
  "$1" --version 2>&1 | sed -n 's/^nats-server: *v\{0,1\}//p' | head -n 1
}

# What a server of version $1 cannot do that nunect uses, one line per feature (nothing when
# it has everything). Keep in step with the feature checks of the widgets (src/monitor/features.ts).
nunect_server_lacks() {
  local v=$1
  nunect_version_ge "$v" 2.10.0 || {
    echo "disconnect / lame-duck a client and reload a server from the page (\$SYS.REQ.SERVER.<id>.KICK, LDM, RELOAD: 2.10+)"
    echo "sorting connections by round-trip time (2.10+)"
  }
  nunect_version_ge "$v" 2.11.0 || {
    echo "per-message TTL and KV delete markers: unit liveness is polled instead of pushed (2.11+)"
    echo "server statistics every 10 s (every 30 s before 2.11)"
  }
  nunect_version_ge "$v" 2.12.0 || echo "offline streams in the stream list (2.12+)"
  return 0
}

# Builds the pinned nats-server with `go install` into its cache folder; prints the binary.
nunect_go_install_server() {
  local go_bin=$1 cached_dir=$2
  nunect_log "building nats-server $NUNECT_NATS_SERVER_VERSION with go install (once; about a minute) into $cached_dir ..."
  GOBIN=$cached_dir "$go_bin" install "github.com/nats-io/nats-server/v2@$NUNECT_NATS_SERVER_VERSION" >&2 || return 1
  nunect_log "built $cached_dir/nats-server"
  printf '%s\n' "$cached_dir/nats-server"
}

# Sets NATS_SERVER_BIN (and NATS_SERVER_VERSION). NATS_SERVER_BIN, when set, is used as it is.
# Otherwise a current server (>= NUNECT_NATS_SERVER_PREFERRED_MIN) is preferred: one on PATH,
# else the pinned build in ~/.cache/nunect, else that build made now with `go install` where Go
# exists; an older server (Debian's 2.9.10) only when none of those is possible, and Debian's
# package is installed as a last resort (as root). Says which features the chosen version lacks.
nunect_find_nats_server() {
  local bin="" go_bin found="" found_version="" cached_dir lacks
  cached_dir="${HOME:-/root}/.cache/nunect/nats-server-$NUNECT_NATS_SERVER_VERSION"
  go_bin=$(command -v go || true)
  [[ -n $go_bin || ! -x /usr/local/go/bin/go ]] || go_bin=/usr/local/go/bin/go
  if [[ -n ${NATS_SERVER_BIN:-} ]]; then
    bin=$NATS_SERVER_BIN
    [[ $bin == */* ]] || bin=$(command -v "$bin" || true)
    if [[ -z $bin || ! -x $bin || -d $bin ]]; then
      nunect_log "error: NATS_SERVER_BIN=$NATS_SERVER_BIN is not an executable file"
      return 1
    fi
  else
    found=$(command -v nats-server || true)
    [[ -n $found || ! -x /usr/sbin/nats-server ]] || found=/usr/sbin/nats-server
    [[ -z $found ]] || found_version=$(nunect_server_version "$found")
    if [[ -n $found ]] && nunect_version_ge "${found_version:-0}" "$NUNECT_NATS_SERVER_PREFERRED_MIN"; then
      bin=$found
    elif [[ -x $cached_dir/nats-server ]]; then
      bin=$cached_dir/nats-server
    elif [[ -n $go_bin ]] && bin=$(nunect_go_install_server "$go_bin" "$cached_dir"); then
      :
    elif [[ -n $found ]]; then
      [[ -n $go_bin ]] && nunect_log "warning: go install failed; using $found ($found_version)"
      bin=$found
    elif [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      nunect_log "nats-server not found and no Go to build $NUNECT_NATS_SERVER_VERSION; installing Debian's package (apt-get install -y nats-server)"
      if ! DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server >&2; then
        apt-get update >&2 || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server >&2 || return 1
      fi
      bin=$(command -v nats-server || echo /usr/sbin/nats-server)
    else
      nunect_log "error: nats-server not found. Install it with one of:"
      nunect_log "  GOBIN=$cached_dir go install github.com/nats-io/nats-server/v2@$NUNECT_NATS_SERVER_VERSION   (current, preferred)"
      nunect_log "  sudo apt-get install -y nats-server          (Debian/Ubuntu; older)"
      nunect_log "  or download a release from the nats-server project and set NATS_SERVER_BIN in .env"
      return 1
    fi
  fi
  NATS_SERVER_VERSION=$(nunect_server_version "$bin")
  [[ -n $NATS_SERVER_VERSION ]] || NATS_SERVER_VERSION=unknown
  # Say which one once (a script called by another one stays quiet about it).
  if [[ ${NUNECT_FOUND_BIN:-} != "$bin" ]]; then
    nunect_log "using $bin (nats-server $NATS_SERVER_VERSION)"
    lacks=$(nunect_server_lacks "$NATS_SERVER_VERSION")
    if [[ -n $lacks ]]; then
      nunect_log "nats-server $NATS_SERVER_VERSION lacks what newer servers offer; nunect explains it where it applies:"
      while IFS= read -r line; do nunect_log "  - $line"; done <<<"$lacks"
      nunect_log "  For all of it: install Go (the next start builds $NUNECT_NATS_SERVER_VERSION) or set NATS_SERVER_BIN."
    fi
  fi
  export NATS_SERVER_BIN=$bin NATS_SERVER_VERSION NUNECT_FOUND_BIN=$bin
}

# Who listens on TCP port PORT: "pid N (command line)" per listener, empty if free or
# unknown (no ss, or a process we may not inspect).
nunect_port_holder() {
  local port=$1 line pid cmd
  command -v ss >/dev/null || return 0
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    if [[ $line =~ pid=([0-9]+) ]]; then
      pid=${BASH_REMATCH[1]}
      cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
      [[ -n $cmd ]] || { [[ $line =~ \(\(\"([^\"]*)\" ]] && cmd=${BASH_REMATCH[1]}; }
      cmd=${cmd% }
      ((${#cmd} <= 160)) || cmd="${cmd:0:157}..."
      printf 'pid %s (%s)\n' "$pid" "$cmd"
    else
      printf 'an unknown process (%s)\n' "$(awk '{print $4}' <<<"$line")"
    fi
  done < <(ss -ltnpH "sport = :$port" 2>/dev/null) | sort -u
}

# True when something listens on TCP port PORT (any address).
nunect_port_in_use() {
  local port=$1
  if command -v ss >/dev/null; then
    [[ -n $(ss -ltnH "sport = :$port" 2>/dev/null) ]]
  else
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$port" 2>/dev/null
  fi
}

# True while PID exists and is not a zombie.
nunect_pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

# The pid in PIDFILE when it names a live nats-server process, else nothing (false).
nunect_server_pid() {
  local pidfile=$1 pid
  [[ -f $pidfile ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n $pid ]] || return 1
  nunect_pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q nats-server || return 1
  printf '%s\n' "$pid"
}

# --- the server's monitoring endpoint (after nunect_load_env) ---------------------------

# The development certificates are used when the TLS paths are the ones in NATS_CERT_DIR.
nunect_uses_dev_certs() {
  [[ $NATS_TLS_CA == "$NATS_CERT_DIR/ca.pem" && $NATS_TLS_CERT == "$NATS_CERT_DIR/server.pem" &&
    $NATS_TLS_KEY == "$NATS_CERT_DIR/server-key.pem" ]]
}

# Address to reach a listener bound to $1.
nunect_connect_host() {
  case $1 in
    "" | 0.0.0.0) echo 127.0.0.1 ;;
    :: | "[::]") echo ::1 ;;
    *) echo "${1#[}" | tr -d ']' ;;
  esac
}

# $1 as the host part of a URL (IPv6 in brackets).
nunect_url_host() {
  local h
  h=$(nunect_connect_host "$1")
  [[ $h == *:* ]] && h="[$h]"
  echo "$h"
}

# GET a monitoring path over HTTPS, verifying the certificate by name (localhost for the
# development certificate, else NATS_MANAGER_DOMAIN) while connecting to the bind address.
nunect_monitor_get() {
  local ip name port=$NATS_HTTPS_PORT args=(-fsS --max-time 2)
  ip=$(nunect_connect_host "$NATS_HOST")
  name=localhost
  nunect_uses_dev_certs || name=${NATS_MANAGER_DOMAIN:-localhost}
  [[ -f $NATS_TLS_CA ]] && args+=(--cacert "$NATS_TLS_CA")
  [[ $ip == *:* ]] && ip="[$ip]"
  curl "${args[@]}" --resolve "$name:$port:$ip" "https://$name:$port$1"
}

nunect_healthy() { nunect_monitor_get /healthz 2>/dev/null | grep -q '"ok"'; }
