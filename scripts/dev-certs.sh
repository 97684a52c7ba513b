#!/usr/bin/env bash
# Development CA + server certificate for nats-server (client TLS, wss, HTTPS monitor) and
# the manager page. Created once, then reused; the server cert is renewed when it expires
# within 30 days, lacks the current NATS_MANAGER_DOMAIN or no longer verifies.
#
# Usage: dev-certs.sh [--spki] [--quiet] [DIR]
#   DIR      where to keep the files (default: NATS_CERT_DIR from .env). With DIR, .env is
#            not read; NATS_MANAGER_DOMAIN is taken from the environment if set.
#   --spki   print only the base64 SHA-256 of the server certificate's public key (SPKI),
#            for Chromium's --ignore-certificate-errors-spki-list.
#   --quiet  print nothing unless something was (re)generated.
# Files: ca.pem, ca-key.pem, server.pem, server-key.pem.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CA_DAYS=3650      # development CA: 10 years
SERVER_DAYS=825   # Chromium/Apple limit for server certificates
RENEW_SECONDS=$((30 * 86400))

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; }

spki_only=0 quiet=0 dir=""
while (($#)); do
  case $1 in
    --spki) spki_only=1 ;;
    --quiet | -q) quiet=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "dev-certs.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [[ -z $dir ]] || { echo "dev-certs.sh: only one DIR" >&2; exit 2; }; dir=$1 ;;
  esac
  shift
done

if [[ -z $dir ]]; then
  # shellcheck source=SCRIPTDIR/lib.sh
  source "$SCRIPT_DIR/lib.sh"
  nunect_load_env
  dir=$NATS_CERT_DIR
fi
domain=${NATS_MANAGER_DOMAIN:-localhost}
domain=${domain#[}
domain=${domain%]}
domain=$(tr '[:upper:]' '[:lower:]' <<<"$domain")

command -v openssl >/dev/null || { echo "dev-certs.sh: openssl is required (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
ca=$dir/ca.pem ca_key=$dir/ca-key.pem cert=$dir/server.pem key=$dir/server-key.pem

# The domain goes into the SAN: an IP address or a DNS name.
if [[ $domain =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ || $domain == *:* ]]; then
  domain_kind=IP
elif [[ $domain =~ ^(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]]; then
  domain_kind=DNS
else
  echo "dev-certs.sh: NATS_MANAGER_DOMAIN=$domain is neither a host name nor an IP address" >&2
  exit 1
fi

# One run at a time per folder (tests may start several).
if command -v flock >/dev/null; then
  exec 9>"$dir/.dev-certs.lock"
  flock 9
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Run openssl quietly; show its output only when it fails.
ossl() {
  if ! openssl "$@" >"$tmp/ossl.out" 2>&1; then
    echo "dev-certs.sh: openssl $1 failed:" >&2
    cat "$tmp/ossl.out" >&2
    exit 1
  fi
}

# True when the certificate is valid for at least RENEW_SECONDS more.
fresh() { openssl x509 -in "$1" -noout -checkend "$RENEW_SECONDS" >/dev/null 2>&1; }

# True when the private key belongs to the certificate.
key_matches() {
  local a b
  a=$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null) || return 1
  b=$(openssl pkey -in "$2" -pubout 2>/dev/null) || return 1
  [[ -n $a && $a == "$b" ]]
}

# True when the certificate's SAN covers NAME (host name or IP).
covers() {
  local opt=-checkhost
  [[ $2 == IP ]] && opt=-checkip
  openssl x509 -in "$1" -noout "$opt" "$3" 2>/dev/null | grep -q ' does match '
}

new_key() { (umask 077 && ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"); }

serial() { echo "0x1$(openssl rand -hex 15)"; }

changed=()

# CA: reused unless missing, expiring or not matching its key.
if [[ -f $ca && -f $ca_key ]] && fresh "$ca" && key_matches "$ca" "$ca_key"; then
  :
else
  new_key "$tmp/ca-key.pem"
  ossl req -x509 -new -key "$tmp/ca-key.pem" -out "$tmp/ca.pem" -days "$CA_DAYS" \
    -set_serial "$(serial)" -subj "/O=nunect development/CN=nunect development CA ($(hostname 2>/dev/null || echo local))" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
  mv "$tmp/ca-key.pem" "$ca_key"
  mv "$tmp/ca.pem" "$ca"
  changed+=("new CA")
fi
chmod 600 "$ca_key"
chmod 644 "$ca"

# Server certificate: SAN localhost, 127.0.0.1, ::1 and the manager domain.
san="DNS:localhost,IP:127.0.0.1,IP:::1"
need_domain=0
if [[ $domain != localhost && $domain != 127.0.0.1 && $domain != ::1 ]]; then
  san+=",$domain_kind:$domain"
  need_domain=1
fi

reason=""
if [[ ! -f $cert || ! -f $key ]]; then
  reason="new server certificate"
elif ! fresh "$cert"; then
  reason="server certificate expires within 30 days"
elif ! openssl verify -CAfile "$ca" "$cert" >/dev/null 2>&1; then
  reason="server certificate does not verify against the CA"
elif ! key_matches "$cert" "$key"; then
  reason="server key does not match the certificate"
elif ! covers "$cert" DNS localhost || ! covers "$cert" IP 127.0.0.1 || ! covers "$cert" IP ::1; then
  reason="server certificate lacks a local name"
elif ((need_domain)) && ! covers "$cert" "$domain_kind" "$domain"; then
  reason="server certificate lacks $domain"
fi

if [[ -n $reason ]]; then
  new_key "$tmp/server-key.pem"
  ossl req -new -key "$tmp/server-key.pem" -out "$tmp/server.csr" \
    -subj "/O=nunect development/CN=$([[ $need_domain == 1 ]] && echo "$domain" || echo localhost)"
  cat >"$tmp/ext.cnf" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EOF
  ossl x509 -req -in "$tmp/server.csr" -CA "$ca" -CAkey "$ca_key" -set_serial "$(serial)" \
    -days "$SERVER_DAYS" -sha256 -extfile "$tmp/ext.cnf" -out "$tmp/server.pem"
  mv "$tmp/server-key.pem" "$key"
  mv "$tmp/server.pem" "$cert"
  changed+=("$reason")
fi
chmod 600 "$key"
chmod 644 "$cert"

spki=$(openssl x509 -in "$cert" -noout -pubkey | openssl pkey -pubin -outform DER |
  openssl dgst -sha256 -binary | openssl base64 -A)

if ((spki_only)); then
  printf '%s\n' "$spki"
  exit 0
fi
if ((quiet)) && ((${#changed[@]} == 0)); then
  exit 0
fi
if ((${#changed[@]})); then
  summary=$(printf '%s, ' "${changed[@]}")
  echo "Development certificates in $dir (${summary%, }):"
else
  echo "Development certificates in $dir (reused):"
fi
cat <<EOF
  CA:          $ca  (trust this one)
  CA key:      $ca_key
  server cert: $cert  (valid until $(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2))
  server key:  $key
  SAN:         $(openssl x509 -in "$cert" -noout -ext subjectAltName | sed -n '2s/^ *//p')
  SPKI sha256: $spki
               (Chromium: --ignore-certificate-errors-spki-list=$spki)
EOF
