# Shared helpers of the benchmark and proof scripts (sourced, not run).
# Builds are release builds of this checkout; scratch files go under $BENCH_WORK (default /tmp/tipline-bench).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/tmp/tipline-bench}
mkdir -p "$BENCH_WORK"

# build_release: builds every product in release mode (incremental) and sets $BIN.
build_release() {
  if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$REPO" && swift build -c release >"$BENCH_WORK/build.log" 2>&1) || { tail -30 "$BENCH_WORK/build.log"; echo "release build failed" >&2; exit 2; }
  fi
  BIN=$(cd "$REPO" && swift build -c release --show-bin-path)
  for tool in tipline-server tipline-admin tipline-audit tipline-bench; do
    [ -x "$BIN/$tool" ] || { echo "missing $BIN/$tool (build it: swift build -c release)" >&2; exit 2; }
  done
}

# new_deployment DIR: a fresh demo deployment (published passphrase) from the repository's policies.
new_deployment() {
  rm -rf "$1"
  env -u TIPLINE_PASSPHRASE "$BIN/tipline-admin" init "$1" --demo --policies "$REPO/Policies" --name bench >/dev/null
}

# reusable_store DIR: true when REUSE is set and DIR already holds a store (time again, do not reseed).
reusable_store() { [ -n "${REUSE:-}" ] && [ -f "$1/data/tipline.sqlite" ]; }

# seed_store DIR OUT [seed options...]: a fresh demo deployment in DIR filled by `tipline-bench seed`
# (its output also in OUT).
seed_store() {
  local dir=$1 out=$2
  shift 2
  new_deployment "$dir"
  env -u TIPLINE_PASSPHRASE "$BIN/tipline-bench" seed --deployment "$dir" "$@" | tee "$out"
}

# set_policy DIR KEY VALUE: sets "  KEY: ..." in the deployment's copy of security.yaml.
set_policy() {
  local file="$1/public/policies/security.yaml"
  grep -q "^  $2:" "$file" || { echo "no key $2 in $file" >&2; exit 2; }
  sed -i "s/^  $2: .*/  $2: $3/" "$file"
}

# start_server DIR LOG: starts tipline-server on ephemeral ports; sets $SERVER_PID, $PUBLIC_URL, $ADMIN_URL.
start_server() {
  local dir=$1 log=$2
  : >"$log"
  env -u TIPLINE_PASSPHRASE "$BIN/tipline-server" --deployment "$dir" --public-port 0 --admin-port 0 --log-level warning \
    >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if grep -q '^listening public=' "$log"; then
      PUBLIC_URL=$(sed -n 's/^listening public=\([^ ]*\) admin=.*/\1/p' "$log" | head -1)
      ADMIN_URL=$(sed -n 's/^listening public=[^ ]* admin=\(.*\)$/\1/p' "$log" | head -1)
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; echo "server exited" >&2; exit 2; }
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$log" >&2; exit 2
}

# stop_server: SIGTERM (graceful) and wait.
stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

# tip_rows DIR: rows in the tip table (read-only; fine while the server runs, WAL).
tip_rows() { sqlite3 -readonly "$1/data/tipline.sqlite" "SELECT count(*) FROM tip;"; }

# kv FILE KEY: the value of a key=value line.
kv() { sed -n "s/^$2=//p" "$1" | tail -1; }

machine_line() {
  local model cores
  model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  cores=$(nproc)
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $cores cores · $model · load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
