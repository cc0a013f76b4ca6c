#!/usr/bin/env bash
# Builds one fuzz target with libFuzzer + AddressSanitizer and fuzzes it for SECONDS.
#
#   Fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#   Fuzz/run.sh FuzzMultipart 600
#   MERGE=1 Fuzz/run.sh FuzzMultipart 0     # only merge new coverage into the committed corpus
#
# Inputs: the committed seeds in Fuzz/corpus/TARGET/ (read only) plus a working corpus in
# .build-fuzz/corpus/TARGET/ (grows between runs, not committed). Crashes, timeouts and
# out-of-memory inputs land in Fuzz/crashes/TARGET/ (not committed: triage each into
# Fuzz/regressions/TARGET/, see Fuzz/README.md). Fuzz/dicts/TARGET.dict, if present, is
# passed as the libFuzzer dictionary. Runs at nice 10, one process.
set -euo pipefail

usage() { echo "usage: Fuzz/run.sh TARGET SECONDS [libFuzzer flags...]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1 seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage
# libFuzzer reads -max_total_time=0 as "forever"; only a merge may pass 0.
[[ $seconds -gt 0 || ${MERGE:-0} == 1 ]] || usage

# Per-target input bounds: a little above the largest realistic seed, small enough for speed.
case $target in
  FuzzTipJSON)        max_len=4096  ;;
  FuzzMultipart)      max_len=8192  ;;
  FuzzImageSanitizer) max_len=16384 ;;
  FuzzEnvelope)       max_len=4096  ;;
  FuzzAdminSignature) max_len=1024  ;;
  FuzzPolicyYAML)     max_len=4096  ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=.build-fuzz

echo "== building $target (scratch $scratch)" >&2
nice -n 10 swift build --product "$target" -c debug --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2

binary="$scratch/debug/$target"
seeds="Fuzz/corpus/$target"
work="$scratch/corpus/$target"
crashes="Fuzz/crashes/$target"
mkdir -p "$work" "$crashes"

export TIPLINE_FUZZ_POLICIES="$root/Policies"
# Swift runtime metadata caches look like leaks to LeakSanitizer; leaks are not what we hunt.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
# Swift's own backtracer reads the crashed stack and trips ASan with a second, misleading report.
export SWIFT_BACKTRACE=enable=no

if [[ ${MERGE:-0} == 1 ]]; then
  echo "== merging $work into $seeds" >&2
  exec nice -n 10 "$binary" -merge=1 -max_len="$max_len" -rss_limit_mb=2048 "$seeds" "$work"
fi

dict=()
[[ -f Fuzz/dicts/$target.dict ]] && dict=(-dict="Fuzz/dicts/$target.dict")

echo "== fuzzing $target for $seconds s (max_len $max_len)" >&2
exec nice -n 10 "$binary" \
  "${dict[@]}" \
  -max_total_time="$seconds" \
  -max_len="$max_len" \
  -rss_limit_mb=2048 \
  -malloc_limit_mb=1024 \
  -timeout=10 \
  -print_final_stats=1 \
  -artifact_prefix="$crashes/" \
  "$@" \
  "$work" "$seeds"
