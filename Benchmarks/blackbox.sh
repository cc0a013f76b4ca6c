#!/usr/bin/env bash
# Issue 11's black-box attacks (▶ in docs/THREATS.md), replayed against the release binaries:
#
#   Benchmarks/blackbox.sh
#
# Starts the release tipline-server on a fresh demo deployment and runs `tipline-bench blackbox`
# (25 invalid bodies then a valid tip; duplicate JSON keys; unsigned /metrics on the admin
# listener; small-order staff keys and a forged request; a re-routing with garbage wraps), then
# checks that `tipline-admin init` refuses a one-character passphrase. Ends with "N passed, N failed";
# exits 1 on any failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_release
trap 'stop_server' EXIT
dir="$BENCH_WORK/blackbox"
new_deployment "$dir"
start_server "$dir" "$BENCH_WORK/blackbox-server.log"
echo "release tipline-server $("$BIN/tipline-server" --version 2>/dev/null || git -C "$REPO" rev-parse --short HEAD) at $PUBLIC_URL / $ADMIN_URL"

set +e
"$BIN/tipline-bench" blackbox --deployment "$dir" --url "$PUBLIC_URL" --admin-url "$ADMIN_URL" | tee "$BENCH_WORK/blackbox.txt"
set -e
stop_server

# TIPLINE_PASSPHRASE=a tipline-admin init: refused, and nothing is created.
weak="$BENCH_WORK/blackbox-weak"
rm -rf "$weak"
set +e
TIPLINE_PASSPHRASE=a TIPLINE_SERVER_PASSPHRASE=b "$BIN/tipline-admin" init "$weak" --policies "$REPO/Policies" >"$BENCH_WORK/blackbox-init.txt" 2>&1
status=$?
set -e
if [ "$status" != 0 ] && [ ! -e "$weak/holders" ]; then
  echo "PASS  TIPLINE_PASSPHRASE=a tipline-admin init → refused (exit $status: $(head -c 100 "$BENCH_WORK/blackbox-init.txt" | tr '\n' ' '))" | tee -a "$BENCH_WORK/blackbox.txt"
else
  echo "FAIL  TIPLINE_PASSPHRASE=a tipline-admin init → refused (exit $status)" | tee -a "$BENCH_WORK/blackbox.txt"
fi

passed=$(grep -c '^PASS' "$BENCH_WORK/blackbox.txt" || true)
failed=$(grep -c '^FAIL' "$BENCH_WORK/blackbox.txt" || true)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" = 6 ]
