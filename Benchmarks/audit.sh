#!/usr/bin/env bash
# Audit tools at scale (Benchmarks/README.md): `tipline-audit verify` over a store of
# 10^6 audit entries (999,999 sealed tips, the policies entry and the administrator's bootstrap
# entry), and `tipline-audit scan` throughput in MB/s over the same data directory.
#
#   Benchmarks/audit.sh                  # seeds $BENCH_WORK/audit once (≈ 10 min idle), then times
#   TIPS=99999 Benchmarks/audit.sh       # 10^5 entries
#   REUSE=1 Benchmarks/audit.sh          # time again on the store seeded before
#
# The store is seeded with `--without-history` (every tip stays `received`): the triage store's
# shortcut history is written around the audit log, and verify would rightly report it. The real
# server then runs once on the store, so its checkpoint file vouches for the head.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TIPS=${TIPS:-999999}
BATCH=${BATCH:-2000}
dir="$BENCH_WORK/audit"
build_release
echo "Machine: $(machine_line)"
if ! reusable_store "$dir"; then
  seed_store "$dir" "$BENCH_WORK/audit-seed.txt" --tips "$TIPS" --batch "$BATCH" --without-history
  start_server "$dir" "$BENCH_WORK/audit-server.log"   # writes a checkpoint at start and at stop
  stop_server
fi
entries=$(sqlite3 -readonly "$dir/data/tipline.sqlite" 'SELECT count(*) FROM audit_entry;')
bytes=$(du -cb "$dir/data" | tail -1 | cut -f1)
echo "audit_entries=$entries"
echo "data_bytes=$bytes"

# seconds_of CMD...: runs CMD, prints its wall time in seconds to fd 3, passes its exit status on.
seconds_of() {
  local start end status=0
  start=$(date +%s.%N)
  "$@" || status=$?
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >&3
  return $status
}

# 1. verify: the whole chain, every signature, authority, envelopes, checkpoints (docs/AUDIT.md).
exec 3>"$BENCH_WORK/verify.seconds"
status=0
seconds_of "$BIN/tipline-audit" verify --deployment "$dir" --quiet --json >"$BENCH_WORK/verify.json" || status=$?
exec 3>&-
verify_seconds=$(cat "$BENCH_WORK/verify.seconds")
printf 'verify_exit=%s verify_seconds=%.1f verify_entries_per_second=%.0f\n' "$status" "$verify_seconds" \
  "$(echo "$entries / $verify_seconds" | bc -l)"
python3 - "$BENCH_WORK/verify.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
for check in report.get("checks", []):
    print(f"verify_check {check.get('name')}: passed={check.get('passed')} checked={check.get('checked')} failures={check.get('failures')}")
print(f"verify_passed={report.get('passed')} verify_notes={report.get('notes')}")
EOF

# 2. scan: every file under data/ for personal-data patterns and one canary (the seeded store holds none).
exec 3>"$BENCH_WORK/scan.seconds"
status=0
seconds_of "$BIN/tipline-audit" scan --deployment "$dir" --canary "CanaryBench$RANDOM$RANDOM" --json >"$BENCH_WORK/scan.json" || status=$?
exec 3>&-
scan_seconds=$(cat "$BENCH_WORK/scan.seconds")
printf 'scan_exit=%s scan_seconds=%.1f scan_mb_per_second=%.1f\n' "$status" "$scan_seconds" \
  "$(echo "$bytes / 1000000 / $scan_seconds" | bc -l)"
