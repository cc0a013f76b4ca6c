#!/usr/bin/env bash
# Intake throughput and follow-up latency over HTTPS with wrk (Benchmarks/README.md, "Intake").
#
#   Benchmarks/intake.sh                       # both KDF settings, 4/32/256 connections, 20 s each
#   MODES=min CONNECTIONS="32" DURATION=10s Benchmarks/intake.sh
#
# For each KDF setting: a fresh demo deployment, its security.yaml copy edited (rate limits raised so
# the per-address limiter — every wrk connection comes from 127.0.0.1 — does not decide the result;
# for `min` also receipt_kdf at the policy's minimum), scrypt timed at those parameters
# (`tipline-bench scrypt`, before the server starts), then the release server, wrk posting distinct
# valid tips, rows counted in SQLite, and wrk posting valid receipts (from the runs before) to
# /api/v1/followup. Prints key=value figures and a Markdown table ($BENCH_WORK/intake-table.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODES=${MODES:-"default min"}
CONNECTIONS=${CONNECTIONS:-"4 32 256"}
DURATION=${DURATION:-20s}
WRK_THREADS=${WRK_THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-30s}
# The minimum test setting: the smallest parameters security.yaml accepts (n ≥ 16384 = 2^14, the floor,
# power of two; r, p ≥ 1).
MIN_N=${MIN_N:-16384}
MIN_R=${MIN_R:-1}
# Queue of the KDF gate; empty = the policy's value.
GATE_QUEUE=${GATE_QUEUE:-}
export WRK_LUA_DIR="$REPO/Benchmarks/wrk"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 2; }
build_release
trap 'stop_server' EXIT

TABLE="$BENCH_WORK/intake-table.md"
{
  echo "Machine: $(machine_line)"
  echo "wrk $WRK_THREADS threads, $DURATION per row, timeout $WRK_TIMEOUT, Retry-After honoured; rate limits raised to 1,000,000"
  echo
  echo "| KDF | endpoint | conns | 2xx/s | % of KDF bound | % of measured parallel KDF | p50 ms | p90 ms | p99 ms | statuses | socket errors | rows stored (durable/s) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$TABLE"

for mode in $MODES; do
  dir="$BENCH_WORK/intake-$mode"
  new_deployment "$dir"
  set_policy "$dir" submissions_per_hour 1000000
  set_policy "$dir" followups_per_minute 1000000
  if [ "$mode" = min ]; then
    set_policy "$dir" n "$MIN_N"
    set_policy "$dir" r "$MIN_R"
  fi
  [ -n "$GATE_QUEUE" ] && set_policy "$dir" queue "$GATE_QUEUE"
  echo "== KDF setting: $mode ($(grep -A3 '^receipt_kdf:' "$dir/public/policies/security.yaml" | tail -3 | tr -d ' ' | tr '\n' ' ')gate queue $(sed -n 's/^  queue: //p' "$dir/public/policies/security.yaml"))"
  "$BIN/tipline-bench" scrypt --deployment "$dir" >"$BENCH_WORK/scrypt-$mode.txt"
  cat "$BENCH_WORK/scrypt-$mode.txt"
  bound=$(kv "$BENCH_WORK/scrypt-$mode.txt" kdf_bound_per_s)
  parallel=$(kv "$BENCH_WORK/scrypt-$mode.txt" kdf_parallel_measured_per_s)
  queue=$(sed -n 's/^  queue: //p' "$dir/public/policies/security.yaml")
  # Requests still queued at the gate when wrk stops finish afterwards: wait for them (and count their rows).
  drain=$(awk -v q="$queue" -v r="$parallel" 'BEGIN { d = int((q + 4) / r) + 2; if (d > 30) d = 30; print d }')
  scrypt_ms=$(kv "$BENCH_WORK/scrypt-$mode.txt" scrypt_ms)
  echo "" >>"$TABLE"
  echo "KDF $mode: scrypt $(kv "$BENCH_WORK/scrypt-$mode.txt" scrypt_n)/$(kv "$BENCH_WORK/scrypt-$mode.txt" scrypt_r)/$(kv "$BENCH_WORK/scrypt-$mode.txt" scrypt_p) = $scrypt_ms ms → bound $(kv "$BENCH_WORK/scrypt-$mode.txt" cores) cores / $scrypt_ms ms = $bound /s; measured with all cores deriving at once: $parallel /s" >>"$TABLE"
  echo "" >>"$TABLE"
  start_server "$dir" "$BENCH_WORK/server-$mode.log"
  rm -f "$BENCH_WORK/receipts-$mode".*

  for endpoint in tips followup; do
    for c in $CONNECTIONS; do
      before=$(tip_rows "$dir")
      out="$BENCH_WORK/wrk-$mode-$endpoint-$c.txt"
      if [ $endpoint = tips ]; then
        RUN_TAG="$mode-$c" RECEIPTS_OUT="$BENCH_WORK/receipts-$mode" \
          wrk -t"$WRK_THREADS" -c"$c" -d"$DURATION" --timeout "$WRK_TIMEOUT" -s "$WRK_LUA_DIR/submit.lua" "$PUBLIC_URL" >"$out" 2>&1
      else
        RECEIPTS_IN="$BENCH_WORK/receipts-$mode" \
          wrk -t"$WRK_THREADS" -c"$c" -d"$DURATION" --timeout "$WRK_TIMEOUT" -s "$WRK_LUA_DIR/followup.lua" "$PUBLIC_URL" >"$out" 2>&1
      fi
      sleep "$drain"  # requests still queued when wrk stopped finish before the count and the next run
      after=$(tip_rows "$dir")
      seconds=$(kv "$out" wrk_seconds)
      ok_per_s=$(kv "$out" wrk_ok_per_s)
      ratio=$(awk -v a="$ok_per_s" -v b="$bound" 'BEGIN { printf "%.0f %%", 100 * a / b }')
      pratio=$(awk -v a="$ok_per_s" -v b="$parallel" 'BEGIN { printf "%.0f %%", 100 * a / b }')
      stored=$((after - before))
      durable=$(awk -v r="$stored" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
      echo "mode=$mode endpoint=$endpoint connections=$c ok_per_s=$ok_per_s bound_ratio=$ratio parallel_ratio=$pratio p50_ms=$(kv "$out" wrk_latency_p50_ms) p90_ms=$(kv "$out" wrk_latency_p90_ms) p99_ms=$(kv "$out" wrk_latency_p99_ms) statuses=\"$(kv "$out" wrk_statuses)\" socket_errors=\"$(kv "$out" wrk_socket_errors)\" rows_stored=$stored ok=$(kv "$out" wrk_ok)"
      if [ $endpoint = tips ]; then rows="$stored ($durable/s)"; else rows="—"; fi
      echo "| $mode | $endpoint | $c | $ok_per_s | $ratio | $pratio | $(kv "$out" wrk_latency_p50_ms) | $(kv "$out" wrk_latency_p90_ms) | $(kv "$out" wrk_latency_p99_ms) | $(kv "$out" wrk_statuses) | $(kv "$out" wrk_socket_errors | sed 's/connect:0 read:0 write:0 timeout:0/none/') | $rows |" >>"$TABLE"
    done
  done
  stop_server
  echo "rows after graceful stop: $(tip_rows "$dir"); integrity: $(sqlite3 -readonly "$dir/data/tipline.sqlite" 'PRAGMA integrity_check;')"
done
echo
cat "$TABLE"
