#!/usr/bin/env bash
# Triage at scale (Benchmarks/README.md): seed a fresh demo deployment with TIPS sealed tips, then time
# the queue / overdue / stats queries and print the database size.
#
#   Benchmarks/triage.sh               # 10^6 tips
#   TIPS=100000 RUNS=50 Benchmarks/triage.sh
#   REUSE=1 Benchmarks/triage.sh       # time again on the store seeded before (e.g. after adding an index)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TIPS=${TIPS:-1000000}
RUNS=${RUNS:-100}
LEGACY=${LEGACY-1}   # also time the pre-v3 queries (LEGACY= to skip)
BATCH=${BATCH:-2000}
dir="$BENCH_WORK/triage"
build_release
echo "Machine: $(machine_line)"
reusable_store "$dir" || seed_store "$dir" "$BENCH_WORK/seed.txt" --tips "$TIPS" --batch "$BATCH"
"$BIN/tipline-bench" triage --deployment "$dir" --runs "$RUNS" ${LEGACY:+--legacy} | tee "$BENCH_WORK/triage.txt"
for suffix in "" -wal -shm; do
  [ -f "$dir/data/tipline.sqlite$suffix" ] && echo "file tipline.sqlite$suffix: $(du -h "$dir/data/tipline.sqlite$suffix" | cut -f1)"
done
echo "rows: tips $(sqlite3 -readonly "$dir/data/tipline.sqlite" 'SELECT count(*) FROM tip;'), audit entries $(sqlite3 -readonly "$dir/data/tipline.sqlite" 'SELECT count(*) FROM audit_entry;')"
