#!/usr/bin/env bash
# TLS and HTTP scan of a running (or freshly started) Tipline server, both listeners.
#
#   scripts/tls-scan.sh                                   # builds, starts a fresh demo deployment, scans, stops
#   scripts/tls-scan.sh https://127.0.0.1:8443 https://127.0.0.1:8444 demo/public/tls-ca.pem   # an existing server
#
# Checks with sslscan (Debian package `sslscan`): only TLS ≥ 1.2 offered, every accepted suite an
# AEAD suite, no TLS compression, no renegotiation, no Heartbleed; with curl: every security header
# of SecurityHeadersMiddleware on pages, API errors, 404s and the admin listener, HSTS with a year or
# more, TRACE refused with 405 (and TRACK, PUT, DELETE, OPTIONS, PATCH refused), plain HTTP on the TLS port
# not served. Prints one line per check and "N passed, N failed"; exits 1 on any failure.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/tipline-bench}
mkdir -p "$WORK"

command -v sslscan >/dev/null || { echo "sslscan is missing: apt-get install -y sslscan" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install -y curl" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is missing (compression probe)" >&2; exit 2; }

SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; }
trap cleanup EXIT

if [ $# -ge 3 ]; then
  PUBLIC_URL=$1 ADMIN_URL=$2 CA=$3
else
  BIN=${BIN:-$(cd "$REPO" && swift build -c release --show-bin-path)}
  if [ -z "${SKIP_BUILD:-}" ]; then (cd "$REPO" && swift build -c release --product tipline-server >"$WORK/tls-build.log" 2>&1 && swift build -c release --product tipline-admin >>"$WORK/tls-build.log" 2>&1) || { tail -20 "$WORK/tls-build.log"; exit 2; }; fi
  dir="$WORK/tls-scan"
  rm -rf "$dir"
  env -u TIPLINE_PASSPHRASE "$BIN/tipline-admin" init "$dir" --demo --policies "$REPO/Policies" --name tls-scan >/dev/null || exit 2
  log="$WORK/tls-server.log"
  env -u TIPLINE_PASSPHRASE "$BIN/tipline-server" --deployment "$dir" --public-port 0 --admin-port 0 --log-level warning >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do grep -q '^listening public=' "$log" && break; sleep 0.1; done
  PUBLIC_URL=$(sed -n 's/^listening public=\([^ ]*\) admin=.*/\1/p' "$log" | head -1)
  ADMIN_URL=$(sed -n 's/^listening public=[^ ]* admin=\(.*\)$/\1/p' "$log" | head -1)
  CA="$dir/public/tls-ca.pem"
  [ -n "$PUBLIC_URL" ] || { cat "$log"; echo "server did not start" >&2; exit 2; }
fi

passed=0
failed=0
check() {  # check NAME 0|1 [DETAIL]
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok    $1${3:+ — $3}"; else failed=$((failed + 1)); echo "FAIL  $1${3:+ — $3}"; fi
}
yes_if() { if eval "$1"; then echo 0; else echo 1; fi; }

for url in "$PUBLIC_URL" "$ADMIN_URL"; do
  hostport=${url#https://}
  name="$( [ "$url" = "$PUBLIC_URL" ] && echo public || echo admin ) $hostport"
  xml="$WORK/sslscan-${hostport//[:.]/-}.xml"
  sslscan --no-colour --xml="$xml" "$hostport" >"$WORK/sslscan-${hostport//[:.]/-}.txt" 2>&1
  [ -s "$xml" ] || { check "$name: sslscan ran" 1 "no output"; continue; }
  for version in SSLv2 SSLv3 TLSv1.0 TLSv1.1; do
    type=${version%v*}; type=$(echo "$type" | tr 'A-Z' 'a-z'); number=${version#*v}
    check "$name: $version not offered" "$(yes_if "! grep -q '<protocol type=\"$type\" version=\"$number\" enabled=\"1\"' '$xml'")"
  done
  check "$name: TLSv1.2 or TLSv1.3 offered" "$(yes_if "grep -qE '<protocol type=\"tls\" version=\"1\\.[23]\" enabled=\"1\"' '$xml'")"
  suites=$(grep -o '<cipher status="[a-z]*" sslversion="[^"]*" bits="[0-9]*" cipher="[^"]*"' "$xml" | sed 's/.*sslversion="\([^"]*\)".*cipher="\([^"]*\)"/\1 \2/' | sort -u)
  non_aead=$(echo "$suites" | grep -vE 'GCM|CHACHA20-POLY1305|CHACHA20_POLY1305|CCM' | grep -v '^$' || true)
  check "$name: only AEAD suites accepted" "$(yes_if "[ -n \"\$suites\" ] && [ -z \"\$non_aead\" ]")" "$(echo "$suites" | tr '\n' ',' | sed 's/,$//')${non_aead:+; not AEAD: $non_aead}"
  # Debian's sslscan is built without zlib and cannot test compression ("OpenSSL version does not
  # support compression"): then a raw ClientHello offering DEFLATE first must get method 0 (null) back.
  if grep -q '<compression supported=' "$xml"; then
    check "$name: no TLS compression (sslscan)" "$(yes_if "grep -q '<compression supported=\"0\"' '$xml'")"
  else
    probe=$(python3 "$REPO/scripts/tls_compression_probe.py" "${hostport%:*}" "${hostport##*:}" 2>&1)
    check "$name: no TLS compression (DEFLATE offered, server chose null)" "$(yes_if "echo '$probe' | grep -q '^compression_method=0$'")" "$(echo "$probe" | tr '\n' ' ')"
  fi
  check "$name: no renegotiation" "$(yes_if "grep -q '<renegotiation supported=\"0\"' '$xml'")"
  check "$name: not vulnerable to Heartbleed" "$(yes_if "! grep -q 'vulnerable=\"1\"' '$xml'")"
  check "$name: plain HTTP on the TLS port is not served" "$(yes_if "! curl -s -m 5 -o /dev/null 'http://$hostport/healthz'")"
done

# Security headers on every kind of answer.
expect_header() {  # FILE NAME REGEX
  grep -iE "^$2: $3" "$1" >/dev/null
}
headers_check() {  # LABEL URL [curl args...]
  local label=$1 url=$2
  shift 2
  local file="$WORK/headers.txt"
  curl -s -m 10 --cacert "$CA" -D "$file" -o /dev/null "$@" "$url"
  local status
  status=$(head -1 "$file" | awk '{print $2}')
  local missing=""
  expect_header "$file" Strict-Transport-Security 'max-age=(3153[6-9][0-9]{3}|31[6-9][0-9]{5}|3[2-9][0-9]{6}|[4-9][0-9]{7}|[0-9]{9,})' || missing+=" HSTS"
  expect_header "$file" Cache-Control 'no-store' || missing+=" Cache-Control"
  expect_header "$file" Referrer-Policy 'no-referrer' || missing+=" Referrer-Policy"
  expect_header "$file" Content-Security-Policy "default-src 'none'" || missing+=" CSP"
  expect_header "$file" X-Content-Type-Options 'nosniff' || missing+=" X-Content-Type-Options"
  expect_header "$file" X-Frame-Options 'DENY' || missing+=" X-Frame-Options"
  expect_header "$file" Cross-Origin-Opener-Policy 'same-origin' || missing+=" COOP"
  expect_header "$file" Cross-Origin-Resource-Policy 'same-origin' || missing+=" CORP"
  expect_header "$file" Permissions-Policy 'camera=\(\)' || missing+=" Permissions-Policy"
  check "headers on $label (HTTP $status)" "$(yes_if "[ -z '$missing' ] && [ -n '$status' ]")" "${missing:+missing:$missing}"
}
headers_check "GET / (form)" "$PUBLIC_URL/"
headers_check "GET /healthz" "$PUBLIC_URL/healthz"
headers_check "GET /followup" "$PUBLIC_URL/followup"
headers_check "404" "$PUBLIC_URL/no-such-page"
headers_check "API 400 (invalid JSON)" "$PUBLIC_URL/api/v1/tips" -X POST -H 'Content-Type: application/json' --data '{'
headers_check "API 415" "$PUBLIC_URL/api/v1/tips" -X POST -H 'Content-Type: text/plain' --data 'x'
headers_check "admin GET /healthz" "$ADMIN_URL/healthz"
headers_check "admin unsigned request (401)" "$ADMIN_URL/admin/v1/tips"

# TRACE must be answered 405 without echoing the request; other methods we never serve must be refused.
for method in TRACE TRACK PUT DELETE OPTIONS PATCH; do
  for url in "$PUBLIC_URL" "$ADMIN_URL"; do
    out=$(curl -s -m 10 --cacert "$CA" -X "$method" -H 'X-Probe: echo-me' -D - "$url/" 2>/dev/null)
    status=$(echo "$out" | head -1 | awk '{print $2}')
    echoed=$(echo "$out" | grep -c 'echo-me' || true)
    label="$( [ "$url" = "$PUBLIC_URL" ] && echo public || echo admin )"
    if [ "$method" = TRACE ]; then
      check "$method refused on $label" "$(yes_if "[ '$status' = 405 ] && [ '$echoed' = 0 ]")" "HTTP ${status:-none}"
    else
      check "$method refused on $label" "$(yes_if "[ '${status:-0}' -ge 400 ] && [ '$echoed' = 0 ]")" "HTTP ${status:-none}"
    fi
  done
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
