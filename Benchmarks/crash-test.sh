#!/usr/bin/env bash
# Crash safety (Benchmarks/README.md, "Crash safety"):
#
#   Benchmarks/crash-test.sh            # 5 × kill -9 under load, then SIGTERM under load
#   KILLS=10 CONNECTIONS=64 Benchmarks/crash-test.sh
#
# A client (`tipline-bench submit`) posts tips with CONNECTIONS workers and appends every 201's
# receipt to a file the moment the answer has arrived. The server is killed with SIGKILL at a
# random moment (1–4 s into the load); then, with the server down, `PRAGMA integrity_check` (sqlite3
# CLI) and the auditor's whole verification (`tipline-audit verify`: chain, signatures, authority, envelopes,
# checkpoints);
# then the server restarts on the same deployment and every receipt acknowledged so far must open
# its tip through /api/v1/followup. After the kills, one SIGTERM under load: the server must exit 0,
# answered requests must resolve, nothing may be half-written.
# The deployment uses the smallest KDF the policy accepts (n=2^14, the floor, with r=1) so that
# thousands of follow-ups stay quick; durability does not depend on the KDF. Ends with "N passed, N failed"; exits 1 on any failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KILLS=${KILLS:-5}
CONNECTIONS=${CONNECTIONS:-32}
KDF_N=${KDF_N:-16384}
KDF_R=${KDF_R:-1}
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 2; }
build_release
trap 'stop_server; [ -n "${CLIENT_PID:-}" ] && kill "$CLIENT_PID" 2>/dev/null || true' EXIT

dir="$BENCH_WORK/crash"
receipts="$BENCH_WORK/crash-receipts.txt"
new_deployment "$dir"
set_policy "$dir" n "$KDF_N"
set_policy "$dir" r "$KDF_R"
set_policy "$dir" submissions_per_hour 1000000
set_policy "$dir" followups_per_minute 1000000
rm -f "$receipts"
CA="$dir/public/tls-ca.pem"
passed=0
failed=0
check() {  # check NAME CONDITION-RESULT(0/1) DETAIL
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "  ok    $1${3:+ — $3}"; else failed=$((failed + 1)); echo "  FAIL  $1${3:+ — $3}"; fi
}

# After the server stopped (however): database integrity and audit chain, then restart and resolve receipts.
verify_round() {
  local label=$1
  local integrity audit acknowledged rows
  integrity=$(sqlite3 "$dir/data/tipline.sqlite" 'PRAGMA integrity_check;' 2>&1 | tr '\n' ' ' | sed 's/ $//')
  check "$label: PRAGMA integrity_check" "$([ "$integrity" = ok ] && echo 0 || echo 1)" "$integrity"
  if audit=$("$BIN/tipline-audit" verify --deployment "$dir" --quiet --json 2>&1); then
    check "$label: tipline-audit verify passes (chain, signatures, authority, envelopes, checkpoints)" 0 \
      "$(echo "$audit" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"], "entries")')"
  else
    check "$label: tipline-audit verify passes (chain, signatures, authority, envelopes, checkpoints)" 1 \
      "$(echo "$audit" | python3 -c 'import json,sys; r=json.load(sys.stdin); print([c["name"] for c in r["checks"] if not c["passed"]])' 2>/dev/null || echo "$audit" | tr '\n' ' ')"
  fi
  start_server "$dir" "$BENCH_WORK/crash-server.log"
  acknowledged=$(wc -l <"$receipts")
  rows=$(tip_rows "$dir")
  if out=$("$BIN/tipline-bench" followup --url "$PUBLIC_URL" --ca "$CA" --receipts "$receipts" 2>&1); then
    check "$label: all $acknowledged acknowledged receipts resolve after restart" 0 "$rows rows stored"
  else
    check "$label: all $acknowledged acknowledged receipts resolve after restart" 1 "$(echo "$out" | grep -v '^NOT' | tr '\n' ' ') $(echo "$out" | grep -c '^NOT') not resolved"
  fi
}

start_server "$dir" "$BENCH_WORK/crash-server.log"
for round in $(seq 1 "$KILLS"); do
  "$BIN/tipline-bench" submit --url "$PUBLIC_URL" --ca "$CA" --connections "$CONNECTIONS" --seconds 60 \
    --stop-on-error --out "$receipts" >"$BENCH_WORK/crash-client-$round.txt" 2>&1 &
  CLIENT_PID=$!
  pause=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.2f", 1 + 3 * rand() }')
  sleep "$pause"
  before=$(wc -l <"$receipts")
  kill -KILL "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  wait "$CLIENT_PID" || true
  CLIENT_PID=
  echo "round $round: SIGKILL after ${pause}s; client: $(kv "$BENCH_WORK/crash-client-$round.txt" outcomes); receipts so far $(wc -l <"$receipts") (at the kill: ≥ $before)"
  verify_round "kill $round"
done

# SIGTERM under load: graceful shutdown.
rows_before_term=$(tip_rows "$dir")
acknowledged_before_term=$(wc -l <"$receipts")
"$BIN/tipline-bench" submit --url "$PUBLIC_URL" --ca "$CA" --connections "$CONNECTIONS" --seconds 60 \
  --stop-on-error --out "$receipts" >"$BENCH_WORK/crash-client-term.txt" 2>&1 &
CLIENT_PID=$!
sleep 2
term_start=$(date +%s.%N)
kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
status=$?
set -e
term_seconds=$(awk -v a="$term_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
SERVER_PID=
wait "$CLIENT_PID" || true
CLIENT_PID=
echo "SIGTERM: server exited with $status after ${term_seconds}s; client: $(kv "$BENCH_WORK/crash-client-term.txt" outcomes)"
errors_5xx=$(kv "$BENCH_WORK/crash-client-term.txt" outcomes | tr ' ' '\n' | awk -F: '$1 ~ /^5/ { n += $2 } END { print n + 0 }')
check "SIGTERM: no 5xx answer (requests in flight finish)" "$([ "$errors_5xx" = 0 ] && echo 0 || echo 1)" "$errors_5xx answers 5xx"
check "SIGTERM: server exits 0 (graceful)" "$([ "$status" = 0 ] && echo 0 || echo 1)" "exit $status in ${term_seconds}s"
if grep -qiE 'fatal|crash|panic' "$BENCH_WORK/crash-server.log"; then
  check "SIGTERM: no fatal error in the server log" 1 "$(grep -iE 'fatal|crash|panic' "$BENCH_WORK/crash-server.log" | head -3 | tr '\n' ' ')"
else
  check "SIGTERM: no fatal error in the server log" 0
fi
verify_round "after SIGTERM"
term_unacknowledged=$(( $(tip_rows "$dir") - rows_before_term - ($(wc -l <"$receipts") - acknowledged_before_term) ))
check "SIGTERM: every tip stored during the shutdown was answered 201" "$([ "$term_unacknowledged" = 0 ] && echo 0 || echo 1)" "$term_unacknowledged stored but not acknowledged"
acknowledged=$(wc -l <"$receipts")
rows=$(tip_rows "$dir")
echo "totals: $acknowledged acknowledged receipts, $rows tip rows (stored but never acknowledged: $((rows - acknowledged)), e.g. answers lost with the killed server)"
stop_server
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
