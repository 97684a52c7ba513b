#!/usr/bin/env bash
# Operator mode (JWT authentication) for development: creates or refreshes the operator, the
# accounts, the users' .creds files and the operator-mode server config (scripts/operator.ts)
# from the settings in .env. Existing keys are kept.
#
# Usage: operator.sh [--rotate] [--quiet]        (npm run operator [-- --rotate])
#   --rotate  replace every key (operator, accounts, users); restart the server afterwards
#   --quiet   print nothing unless new keys were made
# Run it whenever you like; scripts/nats-server.sh and `npm start` run it in operator mode
# (NATS_AUTH_MODE=operator) before starting or checking the server.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

case ${1:-} in
  -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
esac

nunect_load_env
nunect_operator_generate "$@"
[[ $NATS_AUTH_MODE == operator || " $* " == *" --quiet "* ]] ||
  nunect_log "note: NATS_AUTH_MODE=$NATS_AUTH_MODE; set NATS_AUTH_MODE=operator in $NUNECT_ENV_FILE to run the server in operator mode"
